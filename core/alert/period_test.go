package alert

import (
	"testing"
	"time"
)

func TestPeriodText(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{24 * time.Hour, "day"},
		{168 * time.Hour, "7 days"},
		{time.Hour, "hour"},
		{6 * time.Hour, "6 hours"},
		{90 * time.Minute, "1h30m0s"},
	} {
		if got := periodText(tc.in); got != tc.want {
			t.Errorf("periodText(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
