package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/loupe-dev/loupe/core/period"
	"io"

	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "delete",
		summary: "delete a session, everything about a visitor or user, or sessions before a date",
		run:     runDelete,
	})
}

func runDelete(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("delete", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	session := fs.String("session", "", "delete this session")
	visitor := fs.String("visitor", "", "erase this visitor: every session, note and trait")
	user := fs.String("user", "", "erase this user id: every session of every visitor identified as it")
	before := fs.String("before", "", "delete sessions that started before this date (YYYY-MM-DD, UTC) or time (RFC 3339)")
	dryRun := fs.Bool("dry-run", false, "list what would be deleted and delete nothing")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe delete --workspace F (--session ID | --visitor ID | --user ID | --before DATE) [--dry-run]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	e := workspace.Erasure{Session: *session, Visitor: *visitor, User: *user}
	if *before != "" {
		// The start of the day (or the exact time) given: everything that
		// started earlier goes.
		t, _, err := period.Parse(*before, "")
		if err != nil {
			return fmt.Errorf("--before: %w", err)
		}
		e.Before = t
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.Erase(ctx, e, *dryRun)
	if err != nil {
		fs.Usage()
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	verb := "deleted"
	if *dryRun {
		verb = "would delete"
	}
	for _, id := range rep.Sessions {
		fmt.Fprintf(stdout, "%s session %s\n", verb, id)
	}
	if *dryRun {
		fmt.Fprintf(stdout, "%d sessions would be deleted (dry run: nothing changed)\n", len(rep.Sessions))
		return nil
	}
	fmt.Fprintf(stdout, "deleted %d sessions, %d visitors, %d notes, %d archive records, %d insight drafts, %d page assets, %d unused strings\n",
		len(rep.Sessions), rep.Visitors, rep.Notes, rep.Archives, rep.Drafts, rep.Assets, rep.Strings)
	if len(rep.Sessions) > 0 {
		fmt.Fprintf(stdout, "vacuumed: %s → %s\n", byteSize(rep.BytesBefore), byteSize(rep.BytesAfter))
	}
	return nil
}
