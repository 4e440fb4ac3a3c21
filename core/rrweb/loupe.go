package rrweb

// Loupe's tracker records everything inside the rrweb stream, so an archive
// is one ordered stream and a plain rrweb recording needs no side channel.
// Its own facts travel as Custom events (type 5, data {tag, payload}) with
// these tags; console and network use rrweb's plugin formats so that plain
// recordings made with rrweb's plugins are read the same way.
const (
	TagIdentify = "loupe/identify" // payload {id, traits}
	TagEvent    = "loupe/event"    // payload {name, props}
	TagError    = "loupe/error"    // payload {message, source, line, col, stack, kind: "error"|"rejection"}
	TagPage     = "loupe/page"     // payload {doc_height, doc_width, viewport {w,h}} on load, resize and growth
	TagFeedback = "loupe/feedback" // payload {kind: "csat"|"nps", score, comment}; comment is at most 500 characters
	// TagRect is sent just before a click's rrweb event: the clicked
	// element's rrweb node id and its box in page coordinates, which rrweb
	// does not record, so heatmaps can place clicks relative to elements.
	TagRect = "loupe/rect" // payload {id, x, y, w, h}
	// TagDropped is sent by the tracker when a final keepalive batch had to
	// be trimmed to fit the browser's 64 KiB budget: count is how many of
	// the oldest non-snapshot events were left out.
	TagDropped = "loupe/dropped" // payload {count}

	PluginConsole = "rrweb/console@1" // payload {level, trace, payload}
	PluginNetwork = "rrweb/network@1" // payload {requests: [{name, method, status, startTime, endTime, ...}]}
)
