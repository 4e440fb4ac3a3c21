package main

// marshalers gives the JSON shape of the types the bindings send that
// write their own JSON, by "import/path.Type"; a new one fails generation
// until it is added here.
var marshalers = map[string]string{
	// A Go duration string such as "720h0m0s".
	"github.com/loupe-dev/loupe/core/alert.Duration": "string",
}

// tsNames renames Go types whose plain names would be vague in the UI's
// one namespace, or would hide a browser global (Error, Event, Request).
var tsNames = map[string]string{
	"github.com/loupe-dev/loupe/desktop.Error":        "ErrorBody",
	"github.com/loupe-dev/loupe/core/rrweb.Event":     "RrwebEvent",
	"github.com/loupe-dev/loupe/core.Feedback":        "FeedbackFact",
	"github.com/loupe-dev/loupe/core.Input":           "InputFact",
	"github.com/loupe-dev/loupe/core.Point":           "PointerFact",
	"github.com/loupe-dev/loupe/core.Request":         "NetworkRequest",
	"github.com/loupe-dev/loupe/core/heatmap.Data":    "HeatmapData",
	"github.com/loupe-dev/loupe/core/heatmap.Element": "HeatElement",
	"github.com/loupe-dev/loupe/core/heatmap.Point":   "HeatPoint",
	"github.com/loupe-dev/loupe/core/heatmap.Band":    "ScrollBand",
	"github.com/loupe-dev/loupe/core/segment.Node":    "SegmentNode",
	"github.com/loupe-dev/loupe/core/ask.Analysis":    "AskAnalysis",
	"github.com/loupe-dev/loupe/core/insight.Report":  "InsightReport",
	"github.com/loupe-dev/loupe/core/insight.Chart":   "InsightChart",
	"github.com/loupe-dev/loupe/sync/pull.Report":     "SyncReport",
	"github.com/loupe-dev/loupe/sync/pull.Progress":   "SyncProgress",
	"github.com/loupe-dev/loupe/sync/pull.Problem":    "SyncProblem",
	"github.com/loupe-dev/loupe/core/funnel.Group":    "FunnelGroup",
	"github.com/loupe-dev/loupe/core/alert.Rule":      "AlertRule",
}
