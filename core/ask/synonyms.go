package ask

// The fixed English side of the vocabulary: words that mean the same thing
// in every workspace. Workspace-specific words (pages, elements, events)
// come from Vocabulary and are resolved against these tables.

// fillers carry no meaning for a segment ("show me the users who ...").
var fillers = words(`a an the of to in on at by for from with into onto via within during
	sessions session users user visitors visitor people customers customer shoppers shopper
	buyers buyer folks everyone anyone someone recordings recording replays replay visits
	who that which whose whom where when what how many much
	is are was were be been being have has had do does did doing
	show me find list get give see watch display count number
	i we you they them their our my your it its this these those there
	any some all only just ever also still then one ones least
	page pages screen screens site website app
	please using use used uses came come coming arrived arrive
	browser device devices os system operating country countries visiting
	happen happens happened happening occur occurs occurred something anything stuff`)

// negations turn the next condition around.
var negations = words(`not no never without nor non`)

// conjunctions join conditions.
var (
	ands = words(`and but also plus yet while`)
	ors  = words(`or either`)
)

// verbVisit, verbClick and verbDo say how the next page, element or event
// is meant.
var (
	verbVisit = words(`visited visit visiting visits reached reach reaching reaches went go goes going
		got get gets saw seen viewed view viewing views opened open opens landed land lands
		entered enter enters hit hits arrived loaded load made`)
	verbClick = words(`clicked click clicking pressed press pressing tapped tap tapping
		touched selected select`)
	verbDo = words(`triggered trigger triggers fired fire fires performed perform sent send`)
)

// deviceWords maps words to device classes.
var deviceWords = map[string]string{
	"mobile": "mobile", "phone": "mobile", "phones": "mobile", "smartphone": "mobile",
	"smartphones": "mobile", "cellphone": "mobile", "cellphones": "mobile", "cell phone": "mobile",
	"mobile phone": "mobile", "mobile phones": "mobile", "handheld": "mobile", "mobiles": "mobile",
	"tablet": "tablet", "tablets": "tablet", "ipad": "tablet", "ipads": "tablet",
	"desktop": "desktop", "desktops": "desktop", "computer": "desktop", "computers": "desktop",
	"laptop": "desktop", "laptops": "desktop", "pc": "desktop", "pcs": "desktop",
}

// browserWords maps words to browser names (canonical spelling).
var browserWords = map[string]string{
	"chrome": "Chrome", "google chrome": "Chrome", "chromium": "Chromium",
	"firefox": "Firefox", "mozilla": "Firefox", "mozilla firefox": "Firefox",
	"safari": "Safari", "edge": "Edge", "microsoft edge": "Edge",
	"opera": "Opera", "samsung internet": "Samsung Internet",
}

// osWords maps words to operating system names (canonical spelling).
var osWords = map[string]string{
	"windows": "Windows", "mac": "macOS", "macs": "macOS", "macos": "macOS", "mac os": "macOS",
	"osx": "macOS", "os x": "macOS", "macbook": "macOS", "ios": "iOS", "iphone": "iOS",
	"iphones": "iOS", "android": "Android", "linux": "Linux", "ubuntu": "Linux",
	"chrome os": "ChromeOS", "chromeos": "ChromeOS",
}

// signalWords name frustration and error signals; the value is the
// signal's name in the segment syntax.
var signalWords = map[string]string{
	"rage click": "rage_click", "rage clicks": "rage_click", "rage clicked": "rage_click",
	"rage clicking": "rage_click", "rage": "rage_click", "rage clickers": "rage_click",
	"angry clicks": "rage_click", "frustrated": "rage_click",
	"dead click": "dead_click", "dead clicks": "dead_click", "dead clicked": "dead_click",
	"clicks that did nothing": "dead_click", "unresponsive clicks": "dead_click",
	"error click": "error_click", "error clicks": "error_click",
	"error": "js_error", "errors": "js_error", "js error": "js_error", "js errors": "js_error",
	"javascript error": "js_error", "javascript errors": "js_error", "console errors": "js_error",
	"console error": "js_error", "crash": "js_error", "crashes": "js_error", "exceptions": "js_error",
	"failed request": "failed_request", "failed requests": "failed_request",
	"network error": "failed_request", "network errors": "failed_request",
	"api errors": "failed_request", "api error": "failed_request", "broken requests": "failed_request",
	"request failures": "failed_request", "failed calls": "failed_request",
	"quick back": "quick_back", "quick backs": "quick_back", "u turn": "quick_back",
	"u turns": "quick_back", "went straight back": "quick_back", "bounced back": "quick_back",
	"excessive scroll": "excessive_scroll", "excessive scrolling": "excessive_scroll",
	"scrolled back and forth": "excessive_scroll",
}

// signalField is the segment field that counts a signal; signals with no
// count field are session tags.
var signalField = map[string]string{
	"rage_click": "rage_clicks", "dead_click": "dead_clicks", "error_click": "error_clicks",
	"js_error": "errors", "failed_request": "failed_requests",
}

// signalReading is how a signal reads in a sentence.
var signalReading = map[string]string{
	"rage_click": "a rage click", "dead_click": "a dead click", "error_click": "an error click",
	"js_error": "a JS error", "failed_request": "a failed request",
	"quick_back": "a quick back", "excessive_scroll": "excessive scrolling",
}

// pageSynonyms maps a word to the path words a workspace may use for it,
// most likely first. A word resolves to the first one the workspace has.
var pageSynonyms = map[string][]string{
	"basket": {"basket", "cart", "bag"}, "cart": {"cart", "basket", "bag"},
	"shopping cart": {"cart", "basket", "bag"}, "shopping basket": {"basket", "cart", "bag"},
	"shopping bag": {"bag", "cart", "basket"}, "bag": {"bag", "cart", "basket"},
	"checkout": {"checkout", "payment", "pay"}, "check out": {"checkout"},
	"payment":            {"payment", "pay", "checkout"},
	"thank you":          {"thanks", "thank-you", "thankyou", "confirmation", "success", "order-complete", "complete"},
	"thanks":             {"thanks", "thank-you", "thankyou", "confirmation", "success"},
	"confirmation":       {"confirmation", "thanks", "thank-you", "success", "order-complete"},
	"order confirmation": {"confirmation", "thanks", "order-complete", "success"},
	"success":            {"success", "thanks", "confirmation"},
	"login":              {"login", "signin", "sign-in", "log-in"}, "log in": {"login", "signin", "sign-in", "log-in"},
	"logged in": {"login", "signin", "sign-in", "log-in"}, "signed in": {"signin", "login", "sign-in", "log-in"},
	"sign in": {"signin", "login", "sign-in", "log-in"}, "signin": {"signin", "login", "sign-in"},
	"sign up":      {"signup", "sign-up", "register", "registration", "join"},
	"signup":       {"signup", "sign-up", "register", "registration"},
	"register":     {"register", "signup", "sign-up", "registration"},
	"registration": {"registration", "register", "signup", "sign-up"},
	"pricing":      {"pricing", "prices", "plans"}, "prices": {"pricing", "prices", "plans"},
	"plans":  {"plans", "pricing"},
	"search": {"search", "results"}, "search results": {"search", "results"},
	"account": {"account", "profile", "my-account"}, "my account": {"account", "my-account", "profile"},
	"profile": {"profile", "account"},
	"product": {"product", "products", "item", "items", "p"}, "products": {"products", "product", "items"},
	"product detail": {"product", "products", "item", "p"},
	"item":           {"item", "product", "products"},
	"category":       {"category", "categories", "c", "collections", "shop"},
	"catalog":        {"catalog", "catalogue", "shop", "products", "category"},
	"catalogue":      {"catalogue", "catalog", "shop", "products", "category"},
	"shop":           {"shop", "store", "products"}, "store": {"store", "shop"},
	"contact": {"contact", "contact-us", "support"}, "support": {"support", "help", "contact"},
	"help": {"help", "support", "faq"}, "faq": {"faq", "help"},
	"blog": {"blog", "news", "articles"}, "about": {"about", "about-us"},
	"shipping": {"shipping", "delivery"}, "delivery": {"delivery", "shipping"},
}

// homeWords refer to the root page.
var homeWords = words(`home homepage`)

// homePhrases are multi-word names of the root page.
var homePhrases = []string{"home page", "landing page", "front page", "start page", "main page"}

// concept is an outcome that a workspace records as an event or a page,
// whichever it has ("paid" is a purchase event, or a visit to /thanks).
type concept struct {
	name   string   // how the reading names it
	events []string // event names, most likely first (matched as substrings)
	pages  []string // path words, most likely first
	// elements are button texts whose click is the outcome itself;
	// only for outcomes where clicking is doing (adding to a cart, not
	// paying).
	elements []string
}

var conceptPurchase = &concept{
	name:   "purchase",
	events: []string{"purchase", "order_completed", "order", "checkout_completed", "paid", "payment", "buy", "transaction"},
	pages:  []string{"thanks", "thank-you", "thankyou", "confirmation", "success", "order-complete", "receipt", "complete"},
}

var conceptSignup = &concept{
	name:   "sign-up",
	events: []string{"signup", "sign_up", "signed_up", "register", "registration", "account_created"},
	pages:  []string{"welcome", "signup", "sign-up", "register"},
}

var conceptAddToCart = &concept{
	name:     "add to cart",
	events:   []string{"add_to_cart", "added_to_cart", "add_to_basket", "addtocart", "cart_add"},
	elements: []string{"add to cart", "add to basket", "add to bag"},
}

// conceptWords map words to concepts.
var conceptWords = map[string]*concept{
	"pay": conceptPurchase, "paid": conceptPurchase, "paying": conceptPurchase, "purchase": conceptPurchase,
	"purchased": conceptPurchase, "purchases": conceptPurchase, "buy": conceptPurchase, "bought": conceptPurchase,
	"buying": conceptPurchase, "convert": conceptPurchase, "converted": conceptPurchase,
	"order": conceptPurchase, "ordered": conceptPurchase, "place an order": conceptPurchase,
	"placed an order": conceptPurchase, "complete the purchase": conceptPurchase,
	"completed the purchase": conceptPurchase, "completed checkout": conceptPurchase,
	"complete checkout": conceptPurchase, "finish checkout": conceptPurchase, "finished checkout": conceptPurchase,
	"sign up": conceptSignup, "signed up": conceptSignup, "signing up": conceptSignup, "registered": conceptSignup,
	"add to cart": conceptAddToCart, "added to cart": conceptAddToCart, "add to basket": conceptAddToCart,
	"added to basket": conceptAddToCart, "added something to the cart": conceptAddToCart,
	"added something to cart": conceptAddToCart, "added to the cart": conceptAddToCart,
	"added to the basket": conceptAddToCart,
}

// cueWords route a question to an analysis.
var cueWords = map[string]cue{
	"why": cueWhy, "drop off": cueDrop, "drop out": cueDrop, "dropped off": cueDrop, "drop": cueDrop,
	"drops": cueDrop, "dropping": cueDrop, "dropping off": cueDrop, "dropoff": cueDrop, "drop offs": cueDrop,
	"dropped": cueDrop, "abandon": cueDrop, "abandoned": cueDrop, "abandoning": cueDrop, "abandonment": cueDrop,
	"leave": cueDrop, "leaving": cueDrop, "left": cueDrop, "quit": cueDrop, "quitting": cueDrop,
	"give up": cueDrop, "gave up": cueDrop, "giving up": cueDrop, "churn": cueDrop, "exit": cueDrop,
	"bail": cueDrop, "bailed": cueDrop, "lose": cueDrop, "lost": cueDrop, "losing": cueDrop,
	"heatmap": cueHeatmap, "heat map": cueHeatmap, "heatmaps": cueHeatmap,
	"funnel": cueFunnel, "conversion": cueFunnel, "conversion rate": cueFunnel, "funnels": cueFunnel,
	"top": cueRank, "most": cueRank, "worst": cueRank, "biggest": cueRank, "which": cueRank,
	"what": cueRank, "where": cueRank, "common": cueRank, "frequent": cueRank,
	"buttons": cueElements, "button": cueElements, "elements": cueElements, "element": cueElements,
	"links": cueElements, "link": cueElements,
}

// stepJoiners separate funnel steps ("from /a to /b then /c").
var stepJoiners = words(`then after followed`)

// countryNames maps English names and adjectives to ISO codes.
var countryNames = map[string]string{
	"germany": "DE", "german": "DE", "germans": "DE", "deutschland": "DE",
	"france": "FR", "french": "FR", "spain": "ES", "spanish": "ES", "italy": "IT", "italian": "IT",
	"italians": "IT", "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "dutch": "NL",
	"belgium": "BE", "belgian": "BE", "austria": "AT", "austrian": "AT", "switzerland": "CH", "swiss": "CH",
	"united kingdom": "GB", "uk": "GB", "britain": "GB", "great britain": "GB", "british": "GB",
	"england": "GB", "english": "GB", "ireland": "IE", "irish": "IE", "portugal": "PT", "portuguese": "PT",
	"poland": "PL", "polish": "PL", "sweden": "SE", "swedish": "SE", "norway": "NO", "norwegian": "NO",
	"denmark": "DK", "danish": "DK", "finland": "FI", "finnish": "FI", "czechia": "CZ",
	"czech republic": "CZ", "czech": "CZ", "greece": "GR", "greek": "GR",
	"united states": "US", "usa": "US", "america": "US", "american": "US", "americans": "US",
	"the us": "US", "the usa": "US", "the states": "US", "canada": "CA", "canadian": "CA", "canadians": "CA",
	"mexico": "MX", "mexican": "MX", "brazil": "BR", "brazilian": "BR", "argentina": "AR",
	"india": "IN", "indian": "IN", "china": "CN", "chinese": "CN", "japan": "JP", "japanese": "JP",
	"korea": "KR", "south korea": "KR", "korean": "KR", "australia": "AU", "australian": "AU",
	"australians": "AU", "new zealand": "NZ", "turkey": "TR", "turkish": "TR", "ukraine": "UA",
	"ukrainian": "UA", "russia": "RU", "russian": "RU", "south africa": "ZA", "nigeria": "NG",
	"singapore": "SG", "israel": "IL", "egypt": "EG", "indonesia": "ID", "philippines": "PH",
	"vietnam": "VN", "thailand": "TH", "romania": "RO", "hungary": "HU", "hungarian": "HU",
}

// countryLabel names a code in readings.
var countryLabel = map[string]string{
	"DE": "Germany", "FR": "France", "ES": "Spain", "IT": "Italy", "NL": "the Netherlands",
	"BE": "Belgium", "AT": "Austria", "CH": "Switzerland", "GB": "the United Kingdom",
	"IE": "Ireland", "PT": "Portugal", "PL": "Poland", "SE": "Sweden", "NO": "Norway",
	"DK": "Denmark", "FI": "Finland", "CZ": "Czechia", "GR": "Greece", "US": "the United States",
	"CA": "Canada", "MX": "Mexico", "BR": "Brazil", "AR": "Argentina", "IN": "India",
	"CN": "China", "JP": "Japan", "KR": "South Korea", "AU": "Australia", "NZ": "New Zealand",
	"TR": "Turkey", "UA": "Ukraine", "RU": "Russia", "ZA": "South Africa", "NG": "Nigeria",
	"SG": "Singapore", "IL": "Israel", "EG": "Egypt", "ID": "Indonesia", "PH": "the Philippines",
	"VN": "Vietnam", "TH": "Thailand", "RO": "Romania", "HU": "Hungary",
}

// numberWords read small numbers written out.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "fourteen": 14, "thirty": 30, "a": 1, "couple": 2, "few": 3,
}

// datePhrases are fixed relative dates.
var datePhrases = map[string]string{
	"today": "today", "yesterday": "yesterday", "last week": "last week", "past week": "past week",
	"previous week": "last week", "this week": "this week", "last month": "last month",
	"previous month": "last month", "this month": "this month", "past month": "past month",
	"last year": "last year", "this year": "this year",
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	w := ""
	for _, r := range s + " " {
		if r == ' ' || r == '\n' || r == '\t' {
			if w != "" {
				m[w] = true
			}
			w = ""
			continue
		}
		w += string(r)
	}
	return m
}
