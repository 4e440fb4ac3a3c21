package desktop

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSessionsListFilters(t *testing.T) {
	s := NewSessions(newWorkspace(t))
	tests := []struct {
		name  string
		q     SessionQuery
		want  int
		first string
	}{
		{"all, newest first", SessionQuery{}, 3, ""},
		{"page glob", SessionQuery{Page: "/hostile*"}, 1, "hostile"},
		{"text over pages", SessionQuery{Text: "HOSTILE"}, 1, "hostile"},
		{"no such page", SessionQuery{Page: "/nowhere"}, 0, ""},
		{"long sessions", SessionQuery{MinDurationMS: 3000}, 1, "input"},
		{"one visitor", SessionQuery{Visitor: "v_scroll"}, 1, "scroll"},
		{"by duration ascending", SessionQuery{Sort: "duration_ms"}, 3, "hostile"},
		{"by duration descending", SessionQuery{Sort: "duration_ms", Desc: true}, 3, "input"},
		{"segment", SessionQuery{Segment: `duration > 3s`}, 1, "input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := s.List(tt.q)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			if page.Total != tt.want || len(page.Sessions) != tt.want {
				t.Fatalf("total %d, rows %d; want %d", page.Total, len(page.Sessions), tt.want)
			}
			if tt.first != "" && page.Sessions[0].ID != tt.first {
				t.Errorf("first = %s, want %s", page.Sessions[0].ID, tt.first)
			}
		})
	}
}

func TestSessionsListWindow(t *testing.T) {
	s := NewSessions(newWorkspace(t))
	all, err := s.List(SessionQuery{Sort: "started_at"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.List(SessionQuery{Sort: "started_at", Offset: 1, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 3 || len(page.Sessions) != 1 || page.Sessions[0].ID != all.Sessions[1].ID {
		t.Errorf("window = total %d %v, want total 3 and row %s", page.Total, page.Sessions, all.Sessions[1].ID)
	}
	if _, err := s.List(SessionQuery{Offset: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative offset: err = %v, want ErrInvalid", err)
	}
}

func TestSessionsFacets(t *testing.T) {
	f, err := NewSessions(newWorkspace(t)).Facets()
	if err != nil {
		t.Fatal(err)
	}
	if f.Total != 3 || strings.Join(f.Sites, ",") != "fixtures" {
		t.Errorf("facets = %+v, want 3 sessions of site fixtures", f)
	}
	if !strings.Contains(strings.Join(f.Pages, ","), "/hostile") {
		t.Errorf("pages %v lack /hostile", f.Pages)
	}
}

func TestPlayerLoadSanitizes(t *testing.T) {
	p := NewPlayer(newWorkspace(t))
	r, err := p.Load("hostile")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if r.Session.ID != "hostile" || len(r.Events) != len(readFixture(t, "hostile")) {
		t.Fatalf("replay of %q with %d events, want hostile with all events", r.Session.ID, len(r.Events))
	}
	b, _ := json.Marshal(r.Events)
	if bad := containsAny(string(b), hostileMarker, "javascript:", `"srcdoc"`, "evil.example"); bad != "" {
		t.Errorf("served events still carry %q", bad)
	}
	if !strings.Contains(string(b), "Hostile recording") {
		t.Error("sanitizing dropped the page's harmless text")
	}
}

func TestPlayerLoadMissing(t *testing.T) {
	_, err := NewPlayer(newWorkspace(t)).Load("nope")
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Errorf("Load(nope) = %v, want code not_found", err)
	}
}

func TestNotesRoundTrip(t *testing.T) {
	n := NewNotes(newWorkspace(t))
	a, err := n.Add("scroll", 1200, "  user hesitates here ", false)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	if _, err := n.Add("scroll", 300, "", true); err != nil {
		t.Fatalf("Add bookmark: %v", err)
	}
	list, err := n.List("scroll")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].OffsetMS != 300 || !list[0].Bookmark || list[1].Text != "user hesitates here" {
		t.Fatalf("notes = %+v, want the bookmark at 300 then the trimmed note", list)
	}
	if err := n.Delete(a.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	var e *Error
	if err := n.Delete(a.ID); !errors.As(err, &e) || e.Code != CodeNotFound {
		t.Errorf("second Delete = %v, want not_found", err)
	}
	if list, _ := n.List("scroll"); len(list) != 1 {
		t.Errorf("after delete %d notes, want 1", len(list))
	}
}

func TestErrorShape(t *testing.T) {
	err := fail(errors.New("disk on fire"), "list sessions")
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInternal || e.Message != "list sessions: disk on fire" {
		t.Fatalf("fail() = %#v, want internal with context", err)
	}
	var round Error
	if jerr := json.Unmarshal([]byte(err.Error()), &round); jerr != nil || round.Code != CodeInternal {
		t.Errorf("Error() = %q, want the JSON shape the window passes to JS", err.Error())
	}
	if fail(nil, "x") != nil {
		t.Error("fail(nil) is not nil")
	}
}
