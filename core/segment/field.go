package segment

import "strings"

// FieldKind says how a field's values compare.
type FieldKind int

// Field kinds.
const (
	// Text fields compare case-insensitively (ASCII) with = != ~.
	Text FieldKind = iota
	// PathField fields (entry and exit page) match = and != as a path glob.
	PathField
	// Number fields compare with = != > >= < <=.
	Number
	// Duration fields are numbers in milliseconds written with units (2m, 90s).
	Duration
	// TagSet fields test membership: tag = x, tag != x.
	TagSet
	// Trait fields are identify traits, written trait.NAME, compared as text.
	Trait
	// Responses is the feedback field: = and != test for a response (any,
	// csat or nps), ~ searches the comments.
	Responses
)

// Field describes one attribute a segment can compare.
type Field struct {
	Name string
	Kind FieldKind
	Doc  string
}

// Fields lists every attribute, by canonical name. Column names in the
// workspace's SQL compiler are keyed by the same names.
var Fields = []Field{
	{"site", Text, "site key"},
	{"visitor", Text, "visitor id"},
	{"user", Text, "user id given to identify()"},
	{"device", Text, "desktop, tablet or mobile"},
	{"browser", Text, "browser name"},
	{"os", Text, "operating system"},
	{"country", Text, "country code"},
	{"entry", PathField, "path of the first pageview"},
	{"exit", PathField, "path of the last pageview"},
	{"duration", Duration, "session length"},
	{"pageviews", Number, "number of pageviews"},
	{"clicks", Number, "number of clicks"},
	{"rage_clicks", Number, "number of rage clicks"},
	{"dead_clicks", Number, "number of dead clicks"},
	{"error_clicks", Number, "number of error clicks"},
	{"errors", Number, "number of JS errors"},
	{"failed_requests", Number, "number of failed requests"},
	{"events", Number, "number of recorded rrweb events"},
	{"width", Number, "viewport width in px"},
	{"height", Number, "viewport height in px"},
	{"score", Number, "frustration score"},
	{"tag", TagSet, "has the tag"},
	{"csat", Number, "lowest CSAT response (1-5); no response never matches"},
	{"nps", Number, "lowest NPS response (0-10); no response never matches"},
	{"feedback", Responses, "left feedback: = any, csat or nps; ~ searches comments"},
}

// aliases maps alternative spellings to canonical field names.
var aliases = map[string]string{
	"entry_page":      "entry",
	"exit_page":       "exit",
	"viewport":        "width",
	"viewport_width":  "width",
	"viewport_height": "height",
	"js_errors":       "errors",
	"user_id":         "user",
	"tags":            "tag",
	"frustration":     "score",
	"failed":          "failed_requests",
	"comment":         "feedback",
}

// TraitPrefix starts the name of an identify-trait field (trait.plan).
const TraitPrefix = "trait."

// LookupField finds a field by name or alias, case-insensitively. Names
// starting with "trait." are identify traits; the trait name keeps its case.
func LookupField(name string) (Field, bool) {
	if len(name) > len(TraitPrefix) && strings.EqualFold(name[:len(TraitPrefix)], TraitPrefix) {
		return Field{Name: TraitPrefix + name[len(TraitPrefix):], Kind: Trait}, true
	}
	n := strings.ToLower(name)
	if a, ok := aliases[n]; ok {
		n = a
	}
	for _, f := range Fields {
		if f.Name == n {
			return f, true
		}
	}
	return Field{}, false
}

// opsFor lists the operators a field kind accepts.
func opsFor(k FieldKind) []Op {
	switch k {
	case Number, Duration:
		return []Op{Eq, Ne, Gt, Ge, Lt, Le}
	case TagSet:
		return []Op{Eq, Ne}
	case Responses:
		return []Op{Eq, Ne, Contains}
	}
	return []Op{Eq, Ne, Contains}
}

func opAllowed(k FieldKind, op Op) bool {
	for _, o := range opsFor(k) {
		if o == op {
			return true
		}
	}
	return false
}

// FeedbackKinds are the values `feedback =` and `feedback !=` accept: any
// response, or a response of one kind.
var FeedbackKinds = []string{"any", "csat", "nps"}

// feedbackKind canonicalises a `feedback =` value, reporting whether it is
// one of FeedbackKinds.
func feedbackKind(v string) (string, bool) {
	for _, k := range FeedbackKinds {
		if FoldEqual(v, k) {
			return k, true
		}
	}
	return "", false
}

// IsFeedbackScore reports whether a field is a feedback score (csat, nps):
// a number that sessions without such a response never satisfy.
func IsFeedbackScore(field string) bool { return field == "csat" || field == "nps" }
