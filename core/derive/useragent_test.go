package derive

import (
	"testing"

	"github.com/loupe-dev/loupe/core"
)

func TestClassifyUserAgent(t *testing.T) {
	tests := []struct {
		name, ua       string
		browser, os    string
		mobile, tablet bool
	}{
		{"chrome windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "Windows", false, false},
		{"headless chromium linux", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.85 Safari/537.36", "Chrome", "Linux", false, false},
		{"edge", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Edge", "Windows", false, false},
		{"opera", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0", "Opera", "macOS", false, false},
		{"firefox mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox", "macOS", false, false},
		{"safari mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari", "macOS", false, false},
		{"safari iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari", "iOS", true, false},
		{"chrome iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", "Chrome", "iOS", true, false},
		{"firefox iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15", "Firefox", "iOS", true, false},
		{"ipad", "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", "Safari", "iOS", false, true},
		{"android phone", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36", "Chrome", "Android", true, false},
		{"android tablet", "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "Android", false, true},
		{"samsung internet", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", "Samsung Internet", "Android", true, false},
		{"chromebook", "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "ChromeOS", false, false},
		{"ie11", "Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko", "Internet Explorer", "Windows", false, false},
		{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Bot", "Other", false, false},
		{"unknown", "curl/8.5.0", "Other", "Other", false, false},
		{"empty", "", "", "", false, false},
	}
	for _, tt := range tests {
		got := ClassifyUserAgent(tt.ua)
		want := UserAgent{Browser: tt.browser, OS: tt.os, Mobile: tt.mobile, Tablet: tt.tablet}
		if got != want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, want)
		}
	}
}

func TestDeviceClass(t *testing.T) {
	phone := UserAgent{Mobile: true}
	tablet := UserAgent{Tablet: true}
	tests := []struct {
		width int
		ua    UserAgent
		want  string
	}{
		{1280, UserAgent{}, core.DeviceDesktop},
		{1024, UserAgent{}, core.DeviceDesktop},
		{1023, UserAgent{}, core.DeviceTablet},
		{768, UserAgent{}, core.DeviceTablet},
		{767, UserAgent{}, core.DeviceMobile},
		{390, UserAgent{}, core.DeviceMobile},
		{1280, phone, core.DeviceMobile}, // a phone's user agent decides
		{1366, tablet, core.DeviceTablet},
		{0, UserAgent{}, core.DeviceDesktop}, // width unknown
		{0, phone, core.DeviceMobile},
	}
	for _, tt := range tests {
		if got := DeviceClass(tt.width, tt.ua); got != tt.want {
			t.Errorf("DeviceClass(%d, %+v): got %s, want %s", tt.width, tt.ua, got, tt.want)
		}
	}
}

func TestPathOf(t *testing.T) {
	tests := []struct{ href, want string }{
		{"https://shop.example/cart?x=1#top", "/cart"},
		{"https://shop.example", "/"},
		{"https://demoit.app/e/react#ReactHooks.js", "/e/react"},
		{"", "/"},
		{"about:blank", "about:blank"},
		{"/relative/path?q", "/relative/path"},
		{"http://localhost:5500/a%20b/", "/a b/"},
		{"http://[::1]:namedport/x?y", "http://[::1]:namedport/x"},
	}
	for _, tt := range tests {
		if got := PathOf(tt.href); got != tt.want {
			t.Errorf("PathOf(%q): got %q, want %q", tt.href, got, tt.want)
		}
	}
}

func TestScore(t *testing.T) {
	tests := []struct {
		name string
		f    core.Facts
		want float64
	}{
		{"calm", core.Facts{}, 0},
		{"one rage burst", core.Facts{Session: core.Session{RageClicks: 1}}, WeightRageClick},
		{"mixed", core.Facts{Session: core.Session{DeadClicks: 2, JSErrors: 1}, Pageviews: []core.Pageview{{QuickBack: true}}},
			2*WeightDeadClick + WeightJSError + WeightQuickBack},
		{"capped", core.Facts{Session: core.Session{JSErrors: 500}}, 5 * WeightJSError},
	}
	for _, tt := range tests {
		if got := Score(&tt.f); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
