package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/workspace"
)

// cliWorkspace writes a workspace of generated sessions and returns its
// path and the sessions' facts.
func cliWorkspace(t *testing.T, n int) (string, []generate.Session) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ws.db")
	db, err := workspace.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sessions := generate.Sessions(generate.Options{Seed: 4, Sessions: n})
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions {
		if _, err := b.Add(s.Header, s.Events, s.Facts, s.Header.Session, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return path, sessions
}

func factsOfSessions(ss []generate.Session) []*core.Facts {
	out := make([]*core.Facts, len(ss))
	for i, s := range ss {
		out[i] = s.Facts
	}
	return out
}

func TestFunnelCommand(t *testing.T) {
	path, sessions := cliWorkspace(t, 150)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"funnel", "--workspace", path, "--step", "page:/", "--step", "page:/products*",
		"--step", "page:/cart", "--window", "10m", "--dropped", "1", "--json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("loupe funnel: %v (%s)", err, errOut.String())
	}
	var got struct {
		Query  funnel.Query `json:"query"`
		Result struct {
			Sessions int `json:"sessions"`
			Steps    []struct {
				Step  string `json:"step"`
				Count int    `json:"count"`
			} `json:"steps"`
		} `json:"result"`
		Dropped []string `json:"dropped"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	q := got.Query
	want, err := funnel.Evaluate(q, factsOfSessions(sessions))
	if err != nil {
		t.Fatal(err)
	}
	if got.Result.Sessions != want.Sessions || len(got.Result.Steps) != 3 {
		t.Fatalf("sessions %d, steps %d; want %d and 3", got.Result.Sessions, len(got.Result.Steps), want.Sessions)
	}
	for i, s := range got.Result.Steps {
		if s.Count != want.Steps[i].Count || s.Step != want.Steps[i].Step {
			t.Errorf("step %d = %s %d, want %s %d", i+1, s.Step, s.Count, want.Steps[i].Step, want.Steps[i].Count)
		}
	}
	if len(got.Dropped) != want.Steps[0].DroppedOff || len(got.Dropped) == 0 {
		t.Errorf("dropped after step 1: %d ids, want %d (> 0)", len(got.Dropped), want.Steps[0].DroppedOff)
	}

	out.Reset()
	if err := run(context.Background(), []string{"funnel", "--workspace", path, "--step", "page:/", "--step", "page:/cart", "--breakdown", "device"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"page:/cart", "FROM PREV", "mobile"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("table output lacks %q:\n%s", s, out.String())
		}
	}

	errOut.Reset()
	err = run(context.Background(), []string{"funnel", "--workspace", path, "--step", "page:/", "--segment", "device = "}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "column 10") || !strings.Contains(errOut.String(), "^") {
		t.Errorf("bad segment: err = %v, stderr %q; want a column and a caret", err, errOut.String())
	}
	if err := run(context.Background(), []string{"funnel", "--workspace", path, "--step", "scroll:50"}, &out, &errOut); err == nil {
		t.Error("bad step: want an error")
	}
}
