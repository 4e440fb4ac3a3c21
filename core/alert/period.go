package alert

import (
	"strconv"
	"time"
)

// periodText names a rule's period for people: "day", "7 days", "hour",
// "6 hours"; anything not a whole number of hours in Go's own notation.
func periodText(d time.Duration) string {
	if d <= 0 || d%time.Hour != 0 {
		return d.String()
	}
	h := int(d / time.Hour)
	switch {
	case h == 24:
		return "day"
	case h == 1:
		return "hour"
	case h%24 == 0:
		return strconv.Itoa(h/24) + " days"
	}
	return strconv.Itoa(h) + " hours"
}
