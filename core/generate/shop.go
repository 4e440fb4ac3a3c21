package generate

// The demo shop's shape: its pages and the elements people click on them.

// element is something clickable (or typeable) on a page. Selectors are
// what core/rrweb's selector builder produces for the generated DOM: an id,
// or a tag.class that is unique on its page.
type element struct {
	tag, id, class, text string
	// x, y, w, h is the element's box in page coordinates at 1280 px wide;
	// narrower viewports scale x and w.
	x, y, w, h float64
	input      bool
	// dead elements do nothing when clicked (plausible dead clicks).
	dead bool
}

func (e element) selector() string {
	if e.id != "" {
		return "#" + e.id
	}
	return e.tag + "." + e.class
}

var products = []string{"blue-mug", "red-kettle", "linen-towel", "oak-board", "steel-pan", "clay-bowl"}

var navElements = []element{
	{tag: "a", class: "logo", text: "Loupe Shop", x: 40, y: 20, w: 140, h: 40},
	{tag: "a", class: "nav-products", text: "Products", x: 900, y: 24, w: 100, h: 32},
	{tag: "a", class: "nav-cart", text: "Cart", x: 1100, y: 24, w: 80, h: 32},
}

// pageElements lists the page-specific elements by page kind.
var pageElements = map[string][]element{
	"/": {
		{tag: "a", class: "hero-cta", text: "Shop now", x: 520, y: 420, w: 240, h: 56},
		{tag: "img", class: "hero-image", x: 0, y: 100, w: 1280, h: 280, dead: true},
		{tag: "a", id: "featured-blue-mug", text: "Blue mug", x: 120, y: 620, w: 300, h: 360},
		{tag: "a", id: "featured-steel-pan", text: "Steel pan", x: 490, y: 620, w: 300, h: 360},
	},
	"/products": {
		{tag: "select", id: "sort", x: 1000, y: 120, w: 200, h: 36, input: true},
		{tag: "a", id: "product-blue-mug", text: "Blue mug", x: 80, y: 200, w: 340, h: 420},
		{tag: "a", id: "product-red-kettle", text: "Red kettle", x: 470, y: 200, w: 340, h: 420},
		{tag: "a", id: "product-linen-towel", text: "Linen towel", x: 860, y: 200, w: 340, h: 420},
		{tag: "a", id: "product-oak-board", text: "Oak board", x: 80, y: 680, w: 340, h: 420},
		{tag: "span", class: "price-badge", text: "-20%", x: 480, y: 690, w: 60, h: 24, dead: true},
	},
	"/products/*": {
		{tag: "img", class: "product-image", x: 80, y: 120, w: 560, h: 560, dead: true},
		{tag: "button", class: "size-option", text: "M", x: 700, y: 360, w: 48, h: 40},
		{tag: "button", class: "add-to-cart", text: "Add to cart", x: 700, y: 440, w: 260, h: 52},
		{tag: "p", class: "reviews", text: "4.6 (212 reviews)", x: 700, y: 520, w: 200, h: 24, dead: true},
	},
	"/cart": {
		{tag: "input", id: "coupon", x: 700, y: 500, w: 240, h: 40, input: true},
		{tag: "button", class: "remove-item", text: "Remove", x: 1000, y: 220, w: 100, h: 32},
		{tag: "button", class: "checkout", text: "Checkout", x: 900, y: 600, w: 280, h: 56},
	},
	"/checkout": {
		{tag: "input", id: "email", x: 340, y: 200, w: 600, h: 44, input: true},
		{tag: "input", id: "name", x: 340, y: 280, w: 600, h: 44, input: true},
		{tag: "input", id: "card", x: 340, y: 360, w: 600, h: 44, input: true},
		{tag: "button", id: "pay", text: "Pay now", x: 340, y: 460, w: 600, h: 56},
	},
	"/thanks": {
		{tag: "a", class: "continue", text: "Continue shopping", x: 520, y: 400, w: 240, h: 48},
	},
}

// docHeights are each page kind's document height at 1280 px wide.
var docHeights = map[string]int{
	"/": 2400, "/products": 3200, "/products/*": 2000, "/cart": 1200, "/checkout": 1400, "/thanks": 900,
}

func pageKind(path string) string {
	if len(path) > len("/products/") && path[:len("/products/")] == "/products/" {
		return "/products/*"
	}
	return path
}

// elementsOf is every element on a page: the navigation and its own.
func elementsOf(path string) []element {
	return append(append([]element{}, navElements...), pageElements[pageKind(path)]...)
}
