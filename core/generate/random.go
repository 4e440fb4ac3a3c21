package generate

import (
	"math/rand/v2"

	"github.com/loupe-dev/loupe/core/segment"
)

// Values that generated sessions actually hold, so random segments select
// something rather than nothing.
var (
	randomPaths     = []string{"/", "/products", "/products/*", "/products/blue-mug", "/cart", "/checkout*", "/thanks", "/c*", "/nowhere", "*"}
	randomSelectors = []string{"#pay", "button.add-to-cart", "a.nav-cart", "#email", "img.product-image", "button.checkout", "#product-*", "a.*", "#sort", "div.none"}
	randomEvents    = []string{"add_to_cart", "purchase", "begin_checkout", "view_product", "*_checkout", "missing_event"}
	randomTags      = []string{"rage_click", "dead_click", "error_click", "js_error", "failed_request", "quick_back", "excessive_scroll", "none"}
	randomText      = map[string][]string{
		"device":  {"mobile", "desktop", "tablet", "MOBILE"},
		"browser": {"Chrome", "safari", "Firefox", "Edge", "Samsung Internet"},
		"os":      {"iOS", "android", "Windows", "macOS", "Linux"},
		"country": {"US", "de", "GB", "FR", "ZZ", ""},
		"site":    {"demo", "other"},
		"user":    {"", "u_00042"},
		"visitor": {"v_"},
	}
	randomNumbers = map[string][]float64{
		"duration": {5000, 30000, 60000, 120000, 300000}, "pageviews": {1, 2, 3, 5}, "clicks": {0, 1, 3, 5, 8},
		"rage_clicks": {0, 1}, "dead_clicks": {0, 1, 2}, "error_clicks": {0, 1}, "errors": {0, 1}, "failed_requests": {0, 1},
		"events": {30, 60, 100}, "width": {390, 768, 1280, 1440}, "height": {700, 900}, "score": {0, 1, 2.5, 4},
	}
	randomSteps = []string{"page:/cart", "page:/products/*", "click:#pay", "click:button.add-to-cart", "input:#email", "input:#coupon", "event:purchase", "event:add_to_cart"}
)

// RandomSegment returns a random segment expression of at most the given
// depth over the attributes and behaviours generated sessions have.
func RandomSegment(r *rand.Rand, depth int) segment.Expr {
	if depth > 0 && r.IntN(3) > 0 {
		switch r.IntN(3) {
		case 0:
			return segment.Not{X: RandomSegment(r, depth-1)}
		case 1:
			a := segment.And{}
			for n := 2 + r.IntN(2); n > 0; n-- {
				a = append(a, RandomSegment(r, depth-1))
			}
			return a
		default:
			o := segment.Or{}
			for n := 2 + r.IntN(2); n > 0; n-- {
				o = append(o, RandomSegment(r, depth-1))
			}
			return o
		}
	}
	return randomLeaf(r)
}

func randomLeaf(r *rand.Rand) segment.Expr {
	oneOf := func(xs []string) string { return xs[r.IntN(len(xs))] }
	ordOps := []segment.Op{segment.Eq, segment.Ne, segment.Gt, segment.Ge, segment.Lt, segment.Le}
	textOps := []segment.Op{segment.Eq, segment.Ne, segment.Contains}
	switch r.IntN(10) {
	case 0:
		return segment.Behaviour{Verb: segment.Visited, Pattern: oneOf(randomPaths)}
	case 1:
		return segment.Behaviour{Verb: segment.Clicked, Pattern: oneOf(randomSelectors)}
	case 2:
		b := segment.Behaviour{Verb: segment.Did, Pattern: oneOf(randomEvents)}
		if r.IntN(2) == 0 {
			b.Op, b.Count = ordOps[r.IntN(len(ordOps))], r.IntN(4)
		}
		return b
	case 3:
		return segment.Behaviour{Verb: segment.Reached, Pattern: oneOf(randomSteps)}
	case 4:
		return segment.Cond{Field: "tag", Op: []segment.Op{segment.Eq, segment.Ne}[r.IntN(2)], Str: oneOf(randomTags)}
	case 5:
		return segment.Cond{Field: []string{"entry", "exit"}[r.IntN(2)], Op: textOps[r.IntN(3)], Str: oneOf(randomPaths)}
	case 6:
		return segment.Cond{Field: "trait." + []string{"plan", "role", "missing"}[r.IntN(3)], Op: textOps[r.IntN(3)],
			Str: []string{"pro", "free", "team", "Admin", "", "r"}[r.IntN(6)]}
	case 7, 8:
		fields := []string{"duration", "pageviews", "clicks", "rage_clicks", "dead_clicks", "error_clicks", "errors", "failed_requests", "events", "width", "height", "score"}
		f := fields[r.IntN(len(fields))]
		vals := randomNumbers[f]
		return segment.Cond{Field: f, Op: ordOps[r.IntN(len(ordOps))], Num: vals[r.IntN(len(vals))]}
	}
	fields := []string{"device", "browser", "os", "country", "site", "user", "visitor"}
	f := fields[r.IntN(len(fields))]
	return segment.Cond{Field: f, Op: textOps[r.IntN(3)], Str: oneOf(randomText[f])}
}

// RandomStep returns a random funnel step text.
func RandomStep(r *rand.Rand) string { return randomSteps[r.IntN(len(randomSteps))] }

// RandomSteps returns n random step texts, biased towards the shop's real
// order so funnels convert.
func RandomSteps(r *rand.Rand, n int) []string {
	ordered := []string{"page:/", "page:/products*", "event:add_to_cart", "page:/cart", "click:button.checkout", "input:#email", "click:#pay", "page:/thanks"}
	var out []string
	if r.IntN(3) > 0 {
		start := r.IntN(len(ordered) - n + 1)
		for i := 0; i < n; i++ {
			if r.IntN(5) == 0 {
				out = append(out, RandomStep(r))
			} else {
				out = append(out, ordered[start+i])
			}
		}
		return out
	}
	for i := 0; i < n; i++ {
		out = append(out, RandomStep(r))
	}
	return out
}
