package desktop

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/loupe-dev/loupe/core/saved"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Tidy deletes and keeps the workspace tidy: deleting sessions and erasing
// a person, the retention rule, re-deriving sessions after the definitions
// changed, tag rules, moving saved work between workspaces and saving a
// copy of the workspace.
type Tidy struct {
	scope
	db *workspace.DB
	*rederiveJob
}

// rederiveJob is the one re-derive a workbench runs at a time, shared by
// the copies browser mode makes of the binding for each call.
type rederiveJob struct {
	mu     sync.Mutex // never held across I/O
	job    RederiveStatus
	cancel context.CancelFunc
}

// NewTidy binds the tidying tools to a workspace.
func NewTidy(db *workspace.DB) *Tidy {
	return &Tidy{scope: unscoped(), db: db, rederiveJob: &rederiveJob{}}
}

func init() {
	registerCodes(func(err error) string {
		switch {
		case errors.Is(err, workspace.ErrBadErasure), errors.Is(err, saved.ErrNotSaved):
			return CodeInvalid
		case errors.Is(err, workspace.ErrBusy):
			return CodeUnavailable
		}
		return ""
	})
}

// EraseRequest names what to delete: one session, a visitor, a user id,
// or the sessions started before a date (YYYY-MM-DD). DryRun only lists.
type EraseRequest struct {
	Session string `json:"session,omitempty"`
	Visitor string `json:"visitor,omitempty"`
	User    string `json:"user,omitempty"`
	Before  string `json:"before,omitempty"`
	DryRun  bool   `json:"dry_run,omitempty"`
}

// Delete deletes what the request names and everything derived from it,
// then reclaims the space (see workspace.DB.Erase).
func (t *Tidy) Delete(req EraseRequest) (workspace.ErasureReport, error) {
	e := workspace.Erasure{Session: strings.TrimSpace(req.Session), Visitor: strings.TrimSpace(req.Visitor), User: strings.TrimSpace(req.User)}
	if b := strings.TrimSpace(req.Before); b != "" {
		d, err := time.Parse(time.DateOnly, b)
		if err != nil {
			return workspace.ErasureReport{}, fail(fmt.Errorf("%q is not a date (YYYY-MM-DD): %w", b, ErrInvalid), "delete")
		}
		e.Before = d
	}
	rep, err := t.db.Erase(t.ctx, e, req.DryRun)
	return rep, fail(err, "delete")
}

// Retention returns how many days of sessions the workspace keeps (0: all).
func (t *Tidy) Retention() (int, error) {
	d, err := t.db.RetentionDays(t.ctx)
	return d, fail(err, "read retention")
}

// SetRetention sets the retention rule and applies it at once; every sync
// applies it again. It returns what was deleted now.
func (t *Tidy) SetRetention(days int) (workspace.ErasureReport, error) {
	if err := t.db.SetRetentionDays(t.ctx, days); err != nil {
		return workspace.ErasureReport{}, fail(err, "set retention")
	}
	rep, err := t.db.ApplyRetention(t.ctx, time.Now())
	return rep, fail(err, "apply retention")
}

// RederiveStatus is the current or last re-derive.
type RederiveStatus struct {
	Running  bool                       `json:"running"`
	Progress workspace.RederiveProgress `json:"progress"`
	Finished bool                       `json:"finished"`
	Canceled bool                       `json:"canceled"`
	Error    *Error                     `json:"error,omitempty"`
}

// StartRederive re-derives every session from its stored replay with the
// current definitions, in the background for the app's lifetime; poll
// RederiveStatus, stop it with CancelRederive.
func (t *Tidy) StartRederive() (RederiveStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job.Running {
		return t.job, fail(fmt.Errorf("a re-derive is already running: %w", ErrConflict), "re-derive")
	}
	// The job's context is the app's, cancelled also by CancelRederive;
	// it is made here so a cancel right after the start is not lost.
	ctx, cancel := context.WithCancel(t.life.Context())
	prev := t.job
	t.job, t.cancel = RederiveStatus{Running: true}, cancel
	err := t.life.Go(func(context.Context) {
		defer cancel()
		p, err := t.db.Rederive(ctx, func(p workspace.RederiveProgress) {
			t.mu.Lock()
			t.job.Progress = p
			t.mu.Unlock()
		})
		t.mu.Lock()
		defer t.mu.Unlock()
		t.job = RederiveStatus{Progress: p, Finished: err == nil, Canceled: errors.Is(err, context.Canceled)}
		if err != nil && !t.job.Canceled {
			t.job.Error = toError(fmt.Errorf("re-derive: %w", err))
		}
		t.cancel = nil
	})
	if err != nil {
		cancel()
		t.job, t.cancel = prev, nil
		return RederiveStatus{}, fail(err, "re-derive")
	}
	return t.job, nil
}

// RederiveStatus returns the current or last re-derive.
func (t *Tidy) RederiveStatus() (RederiveStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.job, nil
}

// CancelRederive stops a running re-derive; the sessions already done
// keep their new facts and running it again finishes the rest.
func (t *Tidy) CancelRederive() (RederiveStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cancel != nil {
		t.cancel()
	}
	return t.job, nil
}

// TagRuleView is a tag rule and how many sessions it tags.
type TagRuleView struct {
	Name     string `json:"name"`
	Tag      string `json:"tag"`
	Segment  string `json:"segment"`
	Sessions int    `json:"sessions"`
}

// TagRules lists the tag rules.
func (t *Tidy) TagRules() ([]TagRuleView, error) {
	rules, err := t.db.TagRules(t.ctx)
	if err != nil {
		return nil, fail(err, "list tag rules")
	}
	out := []TagRuleView{}
	for _, r := range rules {
		n, err := t.db.RuleTagged(t.ctx, r.Tag)
		if err != nil {
			return nil, fail(err, "list tag rules")
		}
		out = append(out, TagRuleView{Name: r.Name, Tag: r.Tag, Segment: r.Text, Sessions: n})
	}
	return out, nil
}

// AddTagRule saves a rule tagging the sessions of a segment with tag (the
// name when tag is empty) and applies it to the sessions already here.
func (t *Tidy) AddTagRule(name, tag, segmentText string) (TagRuleView, error) {
	name, tag = strings.TrimSpace(name), strings.TrimSpace(tag)
	if tag == "" {
		tag = name
	}
	e, err := workspace.ParseSegment(segmentText)
	if err != nil {
		return TagRuleView{}, fail(err, "add tag rule")
	}
	if _, err := t.db.SaveTagRule(t.ctx, name, tag, e); err != nil {
		return TagRuleView{}, fail(err, "add tag rule")
	}
	n, err := t.db.RuleTagged(t.ctx, tag)
	return TagRuleView{Name: name, Tag: tag, Segment: e.String(), Sessions: n}, fail(err, "add tag rule")
}

// RemoveTagRule deletes a rule and the tags it set.
func (t *Tidy) RemoveTagRule(name string) error {
	return fail(t.db.DeleteTagRule(t.ctx, name), "remove tag rule")
}

// ExportSaved returns the saved segments, funnels, tag rules, dashboard,
// notes and bookmarks as the JSON of a saved-work file (the UI offers it
// as a download; `loupe saved import` reads it).
func (t *Tidy) ExportSaved() (string, error) {
	b, err := saved.Export(t.ctx, t.db)
	if err != nil {
		return "", fail(err, "export saved work")
	}
	var buf bytes.Buffer
	if err := saved.Write(&buf, b); err != nil {
		return "", fail(err, "export saved work")
	}
	return buf.String(), nil
}

// ImportSaved adds the items of a saved-work file's JSON; an item whose
// name is taken by something different is kept under a suffixed name.
func (t *Tidy) ImportSaved(text string) (saved.ImportReport, error) {
	b, err := saved.Read(strings.NewReader(text))
	if err != nil {
		return saved.ImportReport{}, fail(err, "import saved work")
	}
	rep, err := saved.Import(t.ctx, t.db, b)
	return rep, fail(err, "import saved work")
}

// CopyWorkspace writes a consistent copy of the workspace to path (on the
// machine the workbench runs on), safe while syncs and edits go on.
func (t *Tidy) CopyWorkspace(path string) (string, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", fail(fmt.Errorf("give a file to copy to: %w", ErrInvalid), "copy workspace")
	}
	if err := t.db.CopyTo(t.ctx, path); err != nil {
		return "", fail(err, "copy workspace")
	}
	return path, nil
}
