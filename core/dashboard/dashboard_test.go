package dashboard

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

func TestPeriodsEndAtTheDayAfterTheNewestSession(t *testing.T) {
	latest := time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)
	p := PeriodsEndingAt(latest, 7)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	if !p.To.Equal(day(21)) || !p.From.Equal(day(14)) || !p.PrevFrom.Equal(day(7)) || p.Days != 7 {
		t.Errorf("PeriodsEndingAt(%v, 7) = %+v", latest, p)
	}
	if p := PeriodsEndingAt(latest, 0); p.Days != DefaultDays {
		t.Errorf("days 0 gives %d days, want %d", p.Days, DefaultDays)
	}
}

func TestTemplatesUseKnownKinds(t *testing.T) {
	for _, tpl := range Templates() {
		d, ok := FromTemplate(tpl.Name)
		if !ok || len(d.Cards) != len(tpl.Kinds) {
			t.Fatalf("FromTemplate(%q) = %+v, %v", tpl.Name, d, ok)
		}
		if _, err := Check(d); err != nil {
			t.Errorf("template %q does not pass Check: %v", tpl.Name, err)
		}
	}
	if _, ok := FromTemplate("digital ops"); !ok {
		t.Error("template names are matched without case")
	}
	if _, ok := FromTemplate("Horoscope"); ok {
		t.Error("unknown template accepted")
	}
}

func TestSaveChecksAndLoadReadsBack(t *testing.T) {
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if d, err := Load(ctx, db); err != nil || d.Template != DefaultTemplate {
		t.Fatalf("Load on a new workspace = %+v, %v; want the %s template", d, err, DefaultTemplate)
	}
	for _, bad := range []Dashboard{{Days: 0, Cards: []Card{{Kind: "sessions"}}}, {Days: 367, Cards: []Card{{Kind: "sessions"}}}, {Days: 7, Cards: []Card{{Kind: "horoscope"}}}} {
		if _, err := Save(ctx, db, bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Save(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := Save(ctx, db, Dashboard{Days: 7, Cards: []Card{{Kind: "sessions", Segment: "(("}}}); !errors.Is(err, segment.ErrSyntax) {
		t.Errorf("Save(bad segment) = %v, want segment.ErrSyntax", err)
	}
	if _, err := UseTemplate(ctx, db, "Horoscope"); !errors.Is(err, ErrUnknownTemplate) {
		t.Errorf("UseTemplate(unknown) = %v, want ErrUnknownTemplate", err)
	}
	saved, err := Save(ctx, db, Dashboard{Template: "mine", Days: 30, Cards: []Card{{Kind: "top_errors", Segment: "device = mobile"}}})
	if err != nil || saved.Cards[0].Title != "Top errors" {
		t.Fatalf("Save = %+v, %v; want the default title filled in", saved, err)
	}
	if d, err := Load(ctx, db); err != nil || d.Template != "mine" || d.Days != 30 || d.Cards[0].Segment != "device = mobile" {
		t.Errorf("Load after Save = %+v, %v", d, err)
	}
	if data, err := Data(ctx, db, Card{Kind: "sessions"}, 7); err != nil || !data.Empty {
		t.Errorf("Data on an empty workspace = %+v, %v; want Empty", data, err)
	}
	if _, err := Data(ctx, db, Card{Kind: "horoscope"}, 7); !errors.Is(err, ErrInvalid) {
		t.Errorf("Data(unknown kind) = %v, want ErrInvalid", err)
	}
}

func TestPeriodsBetweenComparesWithTheSpanBefore(t *testing.T) {
	from, to := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC)
	p, err := PeriodsBetween(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !p.From.Equal(from) || !p.To.Equal(to) || !p.PrevFrom.Equal(time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)) || p.Days != 3 {
		t.Errorf("PeriodsBetween = %+v", p)
	}
	if _, err := PeriodsBetween(to, from); !errors.Is(err, ErrInvalid) {
		t.Errorf("a backwards period: err %v, want ErrInvalid", err)
	}
}
