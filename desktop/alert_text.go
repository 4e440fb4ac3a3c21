package desktop

import (
	"regexp"
	"strconv"
)

// goDuration matches a whole-hour Go duration ("24h0m0s") as core/alert
// writes periods into its messages.
var goDuration = regexp.MustCompile(`\b(\d+)h0m0s\b`)

// readableMessage rewrites an alert message's periods for people:
// "over the last 168h0m0s" becomes "over the last 7 days".
func readableMessage(msg string) string {
	return goDuration.ReplaceAllStringFunc(msg, func(m string) string {
		h, err := strconv.Atoi(goDuration.FindStringSubmatch(m)[1])
		if err != nil {
			return m
		}
		switch {
		case h == 24:
			return "day"
		case h == 1:
			return "hour"
		case h%24 == 0:
			return strconv.Itoa(h/24) + " days"
		}
		return strconv.Itoa(h) + " hours"
	})
}
