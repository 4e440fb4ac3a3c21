package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

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
	refs, err := db.SessionAssets(ctx, *id)
	if err != nil {
		return fmt.Errorf("export %s: %w", *id, err)
	}
	hdr.Format, hdr.Version = archive.FormatName, archive.Version
	carried := &exportAssets{db: db, refs: refs}
	n, sum, err := writeArchiveFile(*out, hdr, events, carried.write)
	if err != nil {
		return fmt.Errorf("export %s: %w", *id, err)
	}
	fmt.Fprintf(stdout, "exported session %s to %s: %d events, %d page assets (%s), %d bytes, sha256 %s\n",
		*id, *out, len(events), carried.count, byteSize(carried.bytes), n, sum)
	return nil
}

// exportAssets writes a session's manifest and every stored asset of it
// into the archive, so the file replays the same on another machine.
type exportAssets struct {
	db    *workspace.DB
	refs  []workspace.SessionAsset
	count int
	bytes int64
}

func (e *exportAssets) write(ctx context.Context, w *archive.Writer) error {
	manifest := make([]archive.AssetRef, 0, len(e.refs))
	var stored []workspace.SessionAsset
	for _, r := range e.refs {
		ref := archive.AssetRef{URL: r.URL}
		if r.Stored {
			ref.SHA256, ref.Type, ref.Size = r.SHA256, r.Type, r.Size
			stored = append(stored, r)
		} else {
			// Bytes not here travel as the reason, not as a digest no one
			// can resolve.
			ref.Missing = r.Missing
		}
		manifest = append(manifest, ref)
	}
	if err := w.WriteAssets(manifest); err != nil {
		return err
	}
	sort.Slice(stored, func(i, j int) bool { return stored[i].SHA256 < stored[j].SHA256 })
	for i, r := range stored {
		if i > 0 && stored[i-1].SHA256 == r.SHA256 {
			continue // two URLs with the same bytes: one data line
		}
		a, err := e.db.OpenAsset(ctx, r.SHA256)
		if err != nil {
			return err
		}
		if err := w.WriteAssetData(archive.AssetData{SHA256: a.SHA256, Type: a.Type, Data: a.Data}); err != nil {
			return err
		}
		e.count++
		e.bytes += int64(len(a.Data))
	}
	return nil
}

// writeArchiveFile writes an archive atomically, so a crash never leaves
// half an archive under the final name. after, when set, writes what
// follows the events (the page assets) before the archive is closed.
func writeArchiveFile(dst string, hdr archive.Header, events any, after func(context.Context, *archive.Writer) error) (int64, string, error) {
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
		if after != nil {
			if err := after(context.Background(), aw); err != nil {
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
