package desktop

import "testing"

func TestReadableMessage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Busy: sessions rose above 2 to 3 over the last 24h0m0s.", "Busy: sessions rose above 2 to 3 over the last day."},
		{"x over the last 168h0m0s (was 4).", "x over the last 7 days (was 4)."},
		{"x over the last 1h0m0s.", "x over the last hour."},
		{"x over the last 6h0m0s.", "x over the last 6 hours."},
		{"x over the last 1h30m0s.", "x over the last 1h30m0s."},
		{"no period here", "no period here"},
	} {
		if got := readableMessage(tc.in); got != tc.want {
			t.Errorf("readableMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
