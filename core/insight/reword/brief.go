// Package reword asks an optional local language model, through an
// OpenAI-compatible chat endpoint (llama.cpp, Ollama), to reword an insight
// draft. It is off unless a URL is configured, and it can only send a
// Brief: labels, numbers and the deterministic sentences, each checked when
// built, so raw events, session or visitor ids and URLs with query strings
// cannot leave the laptop by construction.
package reword

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrPersonal is returned when text given to a Brief looks like an
// identifier, an e-mail address or a URL with a query string.
var ErrPersonal = errors.New("text looks like an identifier or personal data")

// maxText bounds one piece of text in a Brief.
const maxText = 400

// Text is a piece of aggregate text: a title, a label, a sentence. Its
// field is unexported, so the only way to make one is NewText, which
// refuses anything that looks like an identity.
type Text struct{ s string }

// String returns the text.
func (t Text) String() string { return t.s }

// MarshalText lets a Text serialise as a plain JSON string.
func (t Text) MarshalText() ([]byte, error) { return []byte(t.s), nil }

var (
	emailRe = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[a-zA-Z]{2,}`)
	queryRe = regexp.MustCompile(`\?[^\s=]*=`)
	uuidRe  = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// ids as Loupe and most trackers make them: s_… and v_… keys, or long
	// runs mixing letters and digits.
	prefixedIDRe = regexp.MustCompile(`\b[a-z]{1,3}_[A-Za-z0-9-]{6,}`)
	tokenRe      = regexp.MustCompile(`[A-Za-z0-9_-]{16,}`)
	ipRe         = regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
)

// NewText checks s and wraps it. It rejects e-mail addresses, URLs with a
// query string, UUIDs, IP addresses, prefixed ids (s_x7k2…) and long
// letter-and-digit tokens, and text over 400 bytes.
func NewText(s string) (Text, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxText {
		return Text{}, fmt.Errorf("brief text of %d bytes is over %d", len(s), maxText)
	}
	for _, re := range []*regexp.Regexp{emailRe, queryRe, uuidRe, ipRe} {
		if m := re.FindString(s); m != "" {
			return Text{}, fmt.Errorf("brief text %q: %w", m, ErrPersonal)
		}
	}
	// Metric names (js_errors) share the shape of prefixed ids but have
	// no digits; ids almost always do.
	for _, m := range append(prefixedIDRe.FindAllString(s, -1), tokenRe.FindAllString(s, -1)...) {
		if strings.ContainsAny(m, "0123456789") {
			return Text{}, fmt.Errorf("brief text %q: %w", m, ErrPersonal)
		}
	}
	return Text{s: s}, nil
}

// Figure is one number of the evidence, with what it counts.
type Figure struct {
	Label Text    `json:"label"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"` // "%", "sessions", "ms", "x"
}

// Brief is everything the model may see about one finding.
type Brief struct {
	Title     Text     `json:"title"`
	Sentences []Text   `json:"sentences"`
	Figures   []Figure `json:"figures"`
}

// units a Figure may carry; anything else is refused so a unit cannot
// smuggle text.
var units = map[string]bool{"": true, "%": true, "sessions": true, "ms": true, "s": true, "x": true, "clicks": true, "errors": true, "pp": true}

// Validate checks the parts a caller could have set without NewText: the
// zero Text is allowed (empty), units must be known.
func (b Brief) Validate() error {
	if b.Title.s == "" {
		return errors.New("brief has no title")
	}
	for _, f := range b.Figures {
		if !units[f.Unit] {
			return fmt.Errorf("brief figure %q: unknown unit %q", f.Label.s, f.Unit)
		}
	}
	return nil
}

// Text returns the deterministic wording of the brief: the sentences.
func (b Brief) Text() string {
	parts := make([]string, 0, len(b.Sentences))
	for _, s := range b.Sentences {
		if s.s != "" {
			parts = append(parts, s.s)
		}
	}
	return strings.Join(parts, " ")
}
