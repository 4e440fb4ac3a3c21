package derive

import (
	"strings"

	"github.com/loupe-dev/loupe/core"
)

// The user agent is classified with a small ordered table of tokens rather
// than a parsing library: Loupe needs only browser family, OS family and a
// phone/tablet hint, the full parsers (uap-go and its regex database) are
// large and need updating to stay right, and core takes on no dependency
// for three strings. Order matters: many browsers claim to be others
// (Edge and Opera say Chrome, Chrome says Safari), so the specific tokens
// come first.

// UserAgent is what Loupe reads from a user agent string.
type UserAgent struct {
	Browser string
	OS      string
	Mobile  bool // a phone
	Tablet  bool
}

type uaRule struct {
	token string // matched case-sensitively, as user agents are written
	name  string
}

var browserRules = []uaRule{
	{"Googlebot", "Bot"}, {"bingbot", "Bot"}, {"Bot/", "Bot"}, {"bot/", "Bot"},
	{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"}, {"Edge/", "Edge"},
	{"OPR/", "Opera"}, {"Opera", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"YaBrowser/", "Yandex"},
	{"FxiOS/", "Firefox"}, {"Firefox/", "Firefox"},
	{"CriOS/", "Chrome"}, {"HeadlessChrome/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
	{"Safari/", "Safari"},
	{"MSIE ", "Internet Explorer"}, {"Trident/", "Internet Explorer"},
}

var osRules = []uaRule{
	{"Windows Phone", "Windows Phone"}, {"Windows", "Windows"},
	{"iPhone", "iOS"}, {"iPad", "iOS"}, {"iPod", "iOS"},
	{"Android", "Android"},
	{"CrOS", "ChromeOS"},
	{"Mac OS X", "macOS"}, {"Macintosh", "macOS"},
	{"Linux", "Linux"}, {"X11", "Linux"},
}

var (
	tabletTokens = []string{"iPad", "Tablet", "Kindle", "Silk/", "PlayBook"}
	mobileTokens = []string{"Mobi", "iPhone", "iPod", "Windows Phone", "Opera Mini", "IEMobile"}
)

// ClassifyUserAgent reads browser, OS and device hints from a user agent.
// An empty string gives empty names; an unrecognised one gives "Other".
func ClassifyUserAgent(ua string) UserAgent {
	if strings.TrimSpace(ua) == "" {
		return UserAgent{}
	}
	out := UserAgent{Browser: "Other", OS: "Other"}
	for _, r := range browserRules {
		if strings.Contains(ua, r.token) {
			out.Browser = r.name
			break
		}
	}
	for _, r := range osRules {
		if strings.Contains(ua, r.token) {
			out.OS = r.name
			break
		}
	}
	out.Tablet = containsAny(ua, tabletTokens) ||
		(strings.Contains(ua, "Android") && !strings.Contains(ua, "Mobile"))
	out.Mobile = !out.Tablet && containsAny(ua, mobileTokens)
	return out
}

func containsAny(s string, tokens []string) bool {
	for _, t := range tokens {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// Viewport widths below which a device counts as a phone or a tablet (the
// common CSS breakpoints).
const (
	MobileMaxWidth = 768
	TabletMaxWidth = 1024
)

// DeviceClass classifies a session's device from its first viewport width
// and its user agent: a phone or tablet user agent decides; otherwise a
// viewport narrower than 768 px is mobile and narrower than 1024 px tablet.
// An unknown width (0) leaves the user agent alone to decide.
func DeviceClass(width int, ua UserAgent) string {
	switch {
	case ua.Mobile:
		return core.DeviceMobile
	case ua.Tablet:
		return core.DeviceTablet
	case width > 0 && width < MobileMaxWidth:
		return core.DeviceMobile
	case width > 0 && width < TabletMaxWidth:
		return core.DeviceTablet
	}
	return core.DeviceDesktop
}
