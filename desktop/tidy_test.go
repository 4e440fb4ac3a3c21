package desktop

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTidyDeleteAndRetention(t *testing.T) {
	db := newWorkspace(t)
	td := NewTidy(db)
	all, err := NewSessions(db).List(SessionQuery{})
	if err != nil || all.Total < 2 {
		t.Fatalf("fixtures: %+v, %v", all, err)
	}
	first := all.Sessions[0]
	dry, err := td.Delete(EraseRequest{Visitor: first.Visitor, DryRun: true})
	if err != nil || len(dry.Sessions) != 1 {
		t.Fatalf("dry run = %+v, %v", dry, err)
	}
	rep, err := td.Delete(EraseRequest{Visitor: first.Visitor})
	if err != nil || len(rep.Sessions) != 1 || rep.Sessions[0] != first.ID {
		t.Fatalf("delete = %+v, %v", rep, err)
	}
	if _, err := NewPlayer(db).Load(first.ID); !hasCode(err, CodeNotFound) {
		t.Errorf("player after delete = %v, want not found", err)
	}
	if _, err := td.Delete(EraseRequest{}); !hasCode(err, CodeInvalid) {
		t.Errorf("empty delete = %v, want invalid", err)
	}
	if _, err := td.Delete(EraseRequest{Before: "last week"}); !hasCode(err, CodeInvalid) {
		t.Errorf("bad date = %v, want invalid", err)
	}
	if _, err := td.SetRetention(-3); !hasCode(err, CodeInvalid) {
		t.Errorf("negative retention = %v, want invalid", err)
	}
	// The fixtures were recorded long ago: a one-day rule expires them all.
	gone, err := td.SetRetention(1)
	if err != nil || len(gone.Sessions) != all.Total-1 {
		t.Errorf("SetRetention(1) = %d deleted, %v; want %d", len(gone.Sessions), err, all.Total-1)
	}
	if d, _ := td.Retention(); d != 1 {
		t.Errorf("Retention = %d, want 1", d)
	}
}

func TestTidyRederiveTagRulesSaved(t *testing.T) {
	db := newWorkspace(t)
	td := NewTidy(db)
	st, err := td.StartRederive()
	if err != nil || !st.Running {
		t.Fatalf("StartRederive = %+v, %v", st, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for st.Running && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		st, _ = td.RederiveStatus()
	}
	if !st.Finished || st.Progress.Done != st.Progress.Total || st.Progress.Total == 0 {
		t.Errorf("re-derive ended as %+v", st)
	}

	rule, err := td.AddTagRule("long visits", "", "duration > 1s")
	if err != nil || rule.Tag != "long visits" || rule.Sessions == 0 {
		t.Fatalf("AddTagRule = %+v, %v", rule, err)
	}
	if _, err := td.AddTagRule("broken", "", "duration >"); !hasCode(err, CodeInvalid) {
		t.Errorf("broken segment = %v, want invalid", err)
	}
	text, err := td.ExportSaved()
	if err != nil || !strings.Contains(text, `"long visits"`) {
		t.Fatalf("ExportSaved = %q, %v", text, err)
	}
	if err := td.RemoveTagRule("long visits"); err != nil {
		t.Fatal(err)
	}
	if rules, _ := td.TagRules(); len(rules) != 0 {
		t.Errorf("rules after remove = %+v", rules)
	}
	rep, err := td.ImportSaved(text)
	if err != nil || rep.Added != 1 {
		t.Errorf("ImportSaved = %+v, %v", rep, err)
	}
	if rules, _ := td.TagRules(); len(rules) != 1 || rules[0].Sessions != rule.Sessions {
		t.Errorf("rules after import = %+v, want the rule back tagging %d", rules, rule.Sessions)
	}
	if _, err := td.ImportSaved(`{"format":"other"}`); !hasCode(err, CodeInvalid) {
		t.Errorf("foreign file = %v, want invalid", err)
	}
	out := t.TempDir() + "/copy.db"
	if _, err := td.CopyWorkspace(out); err != nil {
		t.Errorf("CopyWorkspace: %v", err)
	}
}

func TestTidyRederiveCancels(t *testing.T) {
	db := newWorkspace(t)
	td := NewTidy(db)
	life := NewLife(context.Background())
	defer life.Close()
	td.live(life)
	if _, err := td.StartRederive(); err != nil {
		t.Fatal(err)
	}
	td.CancelRederive()
	st, _ := td.RederiveStatus()
	for st.Running {
		time.Sleep(5 * time.Millisecond)
		st, _ = td.RederiveStatus()
	}
	if !st.Canceled && !st.Finished {
		t.Errorf("after cancel: %+v", st)
	}
	if st.Error != nil {
		t.Errorf("a cancelled re-derive reported %v", st.Error)
	}
}

func hasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
