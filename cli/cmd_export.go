package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "export",
		summary: "write one session of a workspace out as a portable .loupe archive",
		run:     runExport,
	})
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	id := fs.String("session", "", "id of the session to export")
	out := fs.String("out", "", "archive file to write (FILE.loupe)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe export --workspace F --session ID --out FILE.loupe")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if *id == "" || *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: --session and --out are required", errUsage)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	hdr, events, err := db.Replay(ctx, *id)
	if errors.Is(err, workspace.ErrNotFound) {
		return fmt.Errorf("there is no session %q in %s", *id, db.Path())
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", *id, err)
	}
	hdr.Format, hdr.Version = archive.FormatName, archive.Version
	n, sum, err := writeArchiveFile(*out, hdr, events)
	if err != nil {
		return fmt.Errorf("export %s: %w", *id, err)
	}
	fmt.Fprintf(stdout, "exported session %s to %s: %d events, %d bytes, sha256 %s\n", *id, *out, len(events), n, sum)
	return nil
}

// writeArchiveFile writes an archive atomically, so a crash never leaves
// half an archive under the final name.
func writeArchiveFile(dst string, hdr archive.Header, events any) (int64, string, error) {
	evs, err := json.Marshal(events)
	if err != nil {
		return 0, "", err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(evs, &raws); err != nil {
		return 0, "", err
	}
	var w *archive.Writer
	err = atomicfile.Write(dst, 0, func(f io.Writer) error {
		aw, err := archive.NewWriter(f, hdr)
		if err != nil {
			return err
		}
		for _, r := range raws {
			if err := aw.Write(r); err != nil {
				return err
			}
		}
		w = aw
		return aw.Close()
	})
	if err != nil {
		return 0, "", err
	}
	return w.Size(), w.Sum(), nil
}
