package period

import (
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		from, to     string
		wantF, wantT time.Time
		invalid      bool
	}{
		{"", "", time.Time{}, time.Time{}, false},
		{"2026-11-03", "2026-11-05", day(3), day(6), false}, // the to day is included
		{"2026-11-03", "2026-11-03", day(3), day(4), false},
		{"2026-11-03T09:30:00Z", "", day(3).Add(9*time.Hour + 30*time.Minute), time.Time{}, false},
		{"", "2026-11-05T12:00:00+01:00", time.Time{}, day(5).Add(11 * time.Hour), false},
		{"2026-11-05", "2026-11-04", time.Time{}, time.Time{}, true},
		{"last week", "", time.Time{}, time.Time{}, true},
		{"", "2026-13-01", time.Time{}, time.Time{}, true},
	}
	for _, tt := range tests {
		f, to, err := Parse(tt.from, tt.to)
		if tt.invalid {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Parse(%q, %q): err %v, want ErrInvalid", tt.from, tt.to, err)
			}
			continue
		}
		if err != nil || !f.Equal(tt.wantF) || !to.Equal(tt.wantT) {
			t.Errorf("Parse(%q, %q) = %v, %v, %v; want %v, %v", tt.from, tt.to, f, to, err, tt.wantF, tt.wantT)
		}
	}
}
