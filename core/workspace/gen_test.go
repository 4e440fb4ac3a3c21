package workspace

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// genPaths are the demo shop's pages.
var genPaths = []string{"/", "/products", "/products/1", "/products/2", "/products/3", "/cart", "/checkout", "/checkout/pay", "/about", "/search"}

// genSession makes one synthetic tracker session of about 100 events: two
// or three pages, each a Meta, a full snapshot of a small shop page, mouse
// moves, scrolls, clicks on known elements, inputs and a few mutations.
func genSession(rng *rand.Rand, i int) (archive.Header, []rrweb.Event) {
	start := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Second)
	id := fmt.Sprintf("s_gen%08d", i)
	h := archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "demo", Session: id,
		Visitor: fmt.Sprintf("v_gen%06d", i/3), StartedAt: start, Source: "tracker",
		UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"}
	ms := start.UnixMilli()
	var events []rrweb.Event
	add := func(t rrweb.EventType, data string) {
		ms += int64(50 + rng.IntN(900))
		events = append(events, rrweb.Event{Type: t, Timestamp: ms, Data: json.RawMessage(data)})
	}
	pages := 2 + rng.IntN(2)
	for p := 0; p < pages; p++ {
		path := genPaths[rng.IntN(len(genPaths))]
		h.Pages = append(h.Pages, path)
		add(rrweb.Meta, fmt.Sprintf(`{"href":"http://localhost:8080%s","width":1280,"height":800}`, path))
		add(rrweb.FullSnapshot, genSnapshot(rng))
		for e := 0; e < 30; e++ {
			switch r := rng.IntN(10); {
			case r < 5:
				add(rrweb.IncrementalSnapshot, fmt.Sprintf(`{"source":1,"positions":[{"x":%d,"y":%d,"id":5,"timeOffset":-120},{"x":%d,"y":%d,"id":5,"timeOffset":0}]}`,
					rng.IntN(1280), rng.IntN(800), rng.IntN(1280), rng.IntN(800)))
			case r < 7:
				add(rrweb.IncrementalSnapshot, fmt.Sprintf(`{"source":3,"id":1,"x":0,"y":%d}`, rng.IntN(1500)))
			case r < 8:
				node := 10 + rng.IntN(8)
				add(rrweb.IncrementalSnapshot, fmt.Sprintf(`{"source":2,"type":1,"id":%d,"x":%d,"y":%d}`, node, rng.IntN(1280), rng.IntN(800)))
				add(rrweb.IncrementalSnapshot, fmt.Sprintf(`{"source":2,"type":2,"id":%d,"x":%d,"y":%d}`, node, rng.IntN(1280), rng.IntN(800)))
			case r < 9:
				add(rrweb.IncrementalSnapshot, `{"source":5,"text":"*****","isChecked":false,"id":20}`)
			default:
				add(rrweb.IncrementalSnapshot, fmt.Sprintf(`{"source":0,"texts":[{"id":12,"value":"%d items"}],"attributes":[],"removes":[],"adds":[]}`, rng.IntN(9)))
			}
		}
	}
	h.EndedAt = time.UnixMilli(ms).UTC()
	return h, events
}

// genSnapshot is a full snapshot of a small page (about 3 KB).
func genSnapshot(rng *rand.Rand) string {
	var items []string
	for i := 0; i < 8; i++ {
		items = append(items, fmt.Sprintf(`{"type":2,"tagName":"a","attributes":{"class":"product","href":"/products/%d"},"childNodes":[{"type":3,"textContent":"Product %d — a fine thing for %d EUR","id":%d}],"id":%d}`,
			i, i, 10+rng.IntN(90), 100+i*2, 10+i))
	}
	return `{"node":{"type":0,"childNodes":[{"type":1,"name":"html","publicId":"","systemId":"","id":2},{"type":2,"tagName":"html","attributes":{"lang":"en"},"childNodes":[{"type":2,"tagName":"head","attributes":{},"childNodes":[{"type":2,"tagName":"style","attributes":{"_cssText":"body{font-family:sans-serif;margin:0}.product{display:block;padding:8px;border-bottom:1px solid #ddd}header{background:#222;color:#fff;padding:12px}"},"childNodes":[],"id":4}],"id":3},{"type":2,"tagName":"body","attributes":{},"childNodes":[{"type":2,"tagName":"header","attributes":{},"childNodes":[{"type":3,"textContent":"Demo shop","id":6}],"id":5},{"type":2,"tagName":"main","attributes":{"id":"main"},"childNodes":[` +
		strings.Join(items, ",") + `,{"type":2,"tagName":"input","attributes":{"name":"q","type":"search","value":"*****"},"childNodes":[],"id":20},{"type":2,"tagName":"button","attributes":{"id":"buy","class":"btn primary"},"childNodes":[{"type":3,"textContent":"Add to cart","id":22}],"id":21}],"id":7}],"id":8}],"id":9}],"id":1},"initialOffset":{"left":0,"top":0}}`
}
