package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/period"
)

func TestPeriodFlagsRejectBadInput(t *testing.T) {
	for _, p := range [][2]string{{"2026-11-05", "2026-11-04"}, {"last week", ""}, {"", "2026-13-01"}} {
		if _, _, err := parsePeriod(p[0], p[1]); !errors.Is(err, errUsage) || !errors.Is(err, period.ErrInvalid) {
			t.Errorf("parsePeriod(%q, %q): err %v, want a usage error", p[0], p[1], err)
		}
	}
	if _, _, err := dayRange("2026-11-01", ""); !errors.Is(err, errUsage) {
		t.Errorf("insights with --from alone: err %v, want a usage error", err)
	}
}

func TestSessionsAndHeatmapTakeAPeriod(t *testing.T) {
	path, sessions := cliWorkspace(t, 150)
	from, to := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC)
	want := 0
	for _, s := range sessions {
		if st := s.Facts.Session.StartedAt; !st.Before(from) && st.Before(to) {
			want++
		}
	}
	if want == 0 || want == len(sessions) {
		t.Fatalf("the generated data has %d of %d sessions in the period; the test needs some in and some out", want, len(sessions))
	}
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"sessions", "--workspace", path, "--from", "2026-11-03", "--to", "2026-11-05", "--json"}, &out, &errOut); err != nil {
		t.Fatalf("sessions --from --to: %v\n%s", err, errOut.String())
	}
	var got []core.Session
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != want {
		t.Errorf("sessions in the period: %d, want %d", len(got), want)
	}
	for _, s := range got {
		if s.StartedAt.Before(from) || !s.StartedAt.Before(to) {
			t.Errorf("session %s started %v, outside the period", s.ID, s.StartedAt)
		}
	}

	heat := func(args ...string) heatmap.Data {
		t.Helper()
		out.Reset()
		argv := append([]string{"heatmap", "--workspace", path, "--page", "/*", "--json"}, args...)
		if err := run(ctx, argv, &out, &errOut); err != nil {
			t.Fatalf("%v: %v\n%s", argv, err, errOut.String())
		}
		var d heatmap.Data
		if err := json.Unmarshal(out.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	all, period := heat(), heat("--from", "2026-11-03", "--to", "2026-11-05")
	if period.Sessions == 0 || period.Sessions > want || period.Sessions >= all.Sessions {
		t.Errorf("heatmap sessions: %d in the period (%d started in it), %d in all", period.Sessions, want, all.Sessions)
	}

	if err := run(ctx, []string{"sessions", "--workspace", path, "--from", "yesterday"}, &out, &errOut); !errors.Is(err, errUsage) {
		t.Errorf("--from yesterday: err %v, want a usage error", err)
	}
}
