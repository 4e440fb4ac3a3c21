package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
)

type weighted[T any] struct {
	v T
	w float64
}

func pick[T any](r *rand.Rand, opts []weighted[T]) T {
	total := 0.0
	for _, o := range opts {
		total += o.w
	}
	x := r.Float64() * total
	for _, o := range opts {
		if x < o.w {
			return o.v
		}
		x -= o.w
	}
	return opts[len(opts)-1].v
}

var countries = []weighted[string]{{"US", 30}, {"DE", 14}, {"GB", 12}, {"FR", 9}, {"IN", 8}, {"BR", 6}, {"JP", 5}, {"NL", 5}, {"CA", 6}, {"ES", 5}}

// profile is who is visiting: device, browser, os, viewport.
type profile struct {
	device, browser, os string
	vw, vh              int
}

func pickProfile(r *rand.Rand) profile {
	switch pick(r, []weighted[string]{{core.DeviceDesktop, 55}, {core.DeviceMobile, 38}, {core.DeviceTablet, 7}}) {
	case core.DeviceMobile:
		os := pick(r, []weighted[string]{{"iOS", 45}, {"Android", 55}})
		browser := "Safari"
		if os == "Android" {
			browser = pick(r, []weighted[string]{{"Chrome", 80}, {"Samsung Internet", 12}, {"Firefox", 8}})
		}
		w := pick(r, []weighted[int]{{360, 30}, {390, 30}, {414, 20}, {430, 20}})
		return profile{core.DeviceMobile, browser, os, w, 640 + r.IntN(300)}
	case core.DeviceTablet:
		os := pick(r, []weighted[string]{{"iOS", 60}, {"Android", 40}})
		browser := map[string]string{"iOS": "Safari", "Android": "Chrome"}[os]
		return profile{core.DeviceTablet, browser, os, pick(r, []weighted[int]{{768, 50}, {810, 25}, {1024, 25}}), 1000 + r.IntN(100)}
	}
	os := pick(r, []weighted[string]{{"Windows", 60}, {"macOS", 30}, {"Linux", 10}})
	browser := pick(r, []weighted[string]{{"Chrome", 62}, {"Edge", 14}, {"Firefox", 12}, {"Safari", 12}})
	if browser == "Safari" && os != "macOS" {
		browser = "Chrome"
	}
	return profile{core.DeviceDesktop, browser, os, pick(r, []weighted[int]{{1280, 25}, {1366, 20}, {1440, 20}, {1536, 15}, {1920, 20}}), 700 + r.IntN(380)}
}

// nextPage picks where a visitor goes after path, or "" to leave.
func nextPage(r *rand.Rand, o Options, p profile, path string) string {
	product := func() string { return "/products/" + products[r.IntN(len(products))] }
	switch pageKind(path) {
	case "/":
		return pick(r, []weighted[string]{{"/products", 55}, {product(), 20}, {"", 25}})
	case "/products":
		return pick(r, []weighted[string]{{product(), 70}, {"/", 5}, {"", 25}})
	case "/products/*":
		return pick(r, []weighted[string]{{"/cart", 35}, {product(), 20}, {"/products", 15}, {"", 30}})
	case "/cart":
		return pick(r, []weighted[string]{{"/checkout", 60}, {"/products", 10}, {"", 30}})
	case "/checkout":
		drop := 0.2
		if p.device == core.DeviceMobile {
			drop = math.Min(0.95, drop*o.Effects.MobileCheckoutDrop)
		}
		if r.Float64() < drop {
			return ""
		}
		return "/thanks"
	case "/thanks":
		return pick(r, []weighted[string]{{"/", 10}, {"", 90}})
	}
	return ""
}

// session builds one session's facts and, through stream, its events.
func session(r *rand.Rand, o Options, i int) Session {
	p := pickProfile(r)
	start := o.Start.Add(time.Duration(r.Int64N(int64(o.Days) * int64(24*time.Hour)))).Truncate(time.Millisecond)
	id := fmt.Sprintf("s_%07d_%08x", i, r.Uint32())
	// About a third of sessions come from a returning visitor: the visitor
	// of an earlier session, so session i never depends on the total.
	owner := i
	if i > 0 && r.Float64() < 0.35 {
		owner = r.IntN(i)
	}
	visitor := fmt.Sprintf("v_%08x%08x", uint32(o.Seed), uint32(owner)*2654435761)
	f := &core.Facts{Session: core.Session{
		ID: id, Site: o.Site, Visitor: visitor, StartedAt: start,
		Viewport: core.Viewport{W: p.vw, H: p.vh}, Device: p.device, Browser: p.browser, OS: p.os,
		Country:      pick(r, countries),
		MaxScrollPct: map[string]float64{},
	}}
	if r.Float64() < 0.25 {
		f.Session.UserID = fmt.Sprintf("u_%05d", r.IntN(5000))
		f.Session.Traits = map[string]string{
			"plan": pick(r, []weighted[string]{{"free", 60}, {"pro", 30}, {"team", 10}}),
			"role": pick(r, []weighted[string]{{"buyer", 70}, {"admin", 30}}),
		}
	}
	b := &builder{r: r, o: o, p: p, f: f, motion: map[int]*motion{}}
	path := pick(r, []weighted[string]{{"/", 50}, {"/products", 25}, {"/products/" + products[r.IntN(len(products))], 25}})
	for n := 0; path != "" && n < 12; n++ {
		next := nextPage(r, o, p, path)
		quickBack := n > 0 && next != "" && r.Float64() < 0.05
		if quickBack {
			next = f.Pageviews[n-1].Path
		}
		b.pageview(path, next, quickBack)
		path = next
	}
	b.finish()
	s := Session{Facts: f, Header: archive.Header{
		Format: archive.FormatName, Version: archive.Version, Site: o.Site, Session: id, Visitor: visitor,
		StartedAt: start, EndedAt: start.Add(time.Duration(f.Session.DurationMS) * time.Millisecond),
		Pages: f.Session.Pages, TrackerVersion: "0.1.0", Country: f.Session.Country, Source: "tracker",
		UserAgent: userAgent(p),
	}}
	s.Events, f.Session.Events = stream(s.Header, f, p, b.motion, o.NoEvents)
	return s
}

// userAgent writes a real-world user agent for the profile, so the
// deriver classifies browser, OS and device as the profile says.
func userAgent(p profile) string {
	const (
		webkit = "AppleWebKit/537.36 (KHTML, like Gecko)"
		chrome = "Chrome/131.0.0.0"
	)
	switch p.os {
	case "iOS":
		if p.device == core.DeviceTablet {
			return "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
		}
		return "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
	case "Android":
		if p.device == core.DeviceTablet {
			return "Mozilla/5.0 (Linux; Android 14; SM-X710) " + webkit + " " + chrome + " Safari/537.36"
		}
		switch p.browser {
		case "Samsung Internet":
			return "Mozilla/5.0 (Linux; Android 14; SM-S918B) " + webkit + " SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
		case "Firefox":
			return "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
		}
		return "Mozilla/5.0 (Linux; Android 14; Pixel 8) " + webkit + " " + chrome + " Mobile Safari/537.36"
	}
	platform := map[string]string{"Windows": "Windows NT 10.0; Win64; x64", "macOS": "Macintosh; Intel Mac OS X 10_15_7", "Linux": "X11; Linux x86_64"}[p.os]
	switch p.browser {
	case "Firefox":
		return "Mozilla/5.0 (" + platform + "; rv:133.0) Gecko/20100101 Firefox/133.0"
	case "Safari":
		return "Mozilla/5.0 (" + platform + ") AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"
	case "Edge":
		return "Mozilla/5.0 (" + platform + ") " + webkit + " " + chrome + " Safari/537.36 Edg/131.0.0.0"
	}
	return "Mozilla/5.0 (" + platform + ") " + webkit + " " + chrome + " Safari/537.36"
}
