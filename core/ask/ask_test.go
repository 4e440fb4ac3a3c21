package ask

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// corpusNow anchors the corpus's relative dates (a Thursday).
var corpusNow = time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)

type corpusCase struct {
	line     int
	vocab    string
	sentence string
	want     string
	unknown  []string
}

func loadVocab(t testing.TB, name string) Vocabulary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatalf("read vocabulary: %v", err)
	}
	var v Vocabulary
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("parse vocabulary %s: %v", name, err)
	}
	return v
}

func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "phrases.txt"))
	if err != nil {
		t.Fatalf("open corpus: %v", err)
	}
	defer f.Close()
	var out []corpusCase
	vocab := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "@vocab "):
			vocab = strings.TrimSpace(strings.TrimPrefix(line, "@vocab "))
			continue
		}
		cols := strings.Split(line, "|")
		if len(cols) != 3 {
			t.Fatalf("phrases.txt:%d: want 3 columns separated by |, got %q", n, line)
		}
		c := corpusCase{line: n, vocab: vocab, sentence: strings.TrimSpace(cols[0]), want: strings.TrimSpace(cols[1])}
		for _, u := range strings.Split(cols[2], ",") {
			if u = strings.TrimSpace(u); u != "" {
				c.unknown = append(c.unknown, u)
			}
		}
		out = append(out, c)
	}
	return out
}

// describe writes a result in the corpus's expected-column notation.
func describe(r Result) string {
	during := ""
	if r.Range != nil {
		during = " during " + r.Range.From.Format("2006-01-02") + ".." + r.Range.To.Format("2006-01-02")
		if r.Segment == "" {
			during = strings.TrimPrefix(during, " ")
		}
	}
	if r.Analysis == nil {
		return r.Segment + during
	}
	a := r.Analysis
	parts := []string{"@" + string(a.Kind)}
	if a.Step != "" {
		parts = append(parts, a.Step)
	}
	if len(a.Steps) > 0 {
		parts = append(parts, strings.Join(a.Steps, " > "))
	}
	if a.Page != "" {
		parts = append(parts, "page="+a.Page)
	}
	s := strings.Join(parts, " ")
	if r.Segment != "" {
		s += " ; " + r.Segment
	}
	return s + during
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 60 {
		t.Fatalf("corpus has %d phrases, want at least 60", len(cases))
	}
	vocabs := map[string]Vocabulary{}
	for _, c := range cases {
		v, ok := vocabs[c.vocab]
		if !ok {
			v = loadVocab(t, c.vocab)
			vocabs[c.vocab] = v
		}
		got, err := Parse(c.sentence, v, corpusNow)
		if err != nil {
			t.Errorf("phrases.txt:%d %q: %v", c.line, c.sentence, err)
			continue
		}
		if d := describe(got); d != c.want {
			t.Errorf("phrases.txt:%d %q:\n got  %s\n want %s", c.line, c.sentence, d, c.want)
		}
		if strings.Join(got.Unknown, ", ") != strings.Join(c.unknown, ", ") {
			t.Errorf("phrases.txt:%d %q: unknown words got %q, want %q", c.line, c.sentence, got.Unknown, c.unknown)
		}
		if got.Segment != "" {
			if _, err := segment.Parse(got.Segment); err != nil {
				t.Errorf("phrases.txt:%d: segment %q does not parse: %v", c.line, got.Segment, err)
			}
		}
		if a := got.Analysis; a != nil {
			for _, s := range append([]string{a.Step}, a.Steps...) {
				if _, err := step.Parse(s); s != "" && err != nil {
					t.Errorf("phrases.txt:%d: funnel step %q does not parse: %v", c.line, s, err)
				}
			}
		}
		if !strings.HasPrefix(got.Reading, "I read this as: ") {
			t.Errorf("phrases.txt:%d: reading %q does not start with \"I read this as: \"", c.line, got.Reading)
		}
	}
}

func TestReading(t *testing.T) {
	shop := loadVocab(t, "shop")
	tests := []struct {
		sentence, want string
	}{
		{"mobile users from Germany who reached checkout but did not pay",
			"I read this as: sessions on mobile, from Germany (DE) that visited /checkout* and did not do purchase (event purchase)."},
		{"sessions with rage clicks on the basket page last week",
			"I read this as: sessions that had a rage click and visited /cart* (basket), from 2026-11-16 to 2026-11-22."},
		{"why do people drop off at checkout?",
			"I read this as: why people drop off at page:/checkout*, over all sessions."},
		{"users who clicked Add to cart yesterday",
			`I read this as: sessions that clicked "Add to cart" (button.add-to-cart), on 2026-11-25.`},
		{"sessions without errors",
			"I read this as: sessions that had no JS error."},
	}
	for _, tt := range tests {
		got, err := Parse(tt.sentence, shop, corpusNow)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.sentence, err)
		}
		if got.Reading != tt.want {
			t.Errorf("Parse(%q).Reading\n got  %s\n want %s", tt.sentence, got.Reading, tt.want)
		}
	}
}

func TestEmptySentence(t *testing.T) {
	for _, s := range []string{"", "   ", "?!", `""`} {
		if _, err := Parse(s, Vocabulary{}, corpusNow); !errors.Is(err, ErrEmpty) {
			t.Errorf("Parse(%q) error = %v, want ErrEmpty", s, err)
		}
	}
}

func TestEveryDatePhraseHasARule(t *testing.T) {
	today := DateRange{From: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	for w, phrase := range datePhrases {
		r := resolveDate(dateSpec{phrase: phrase}, corpusNow)
		if !r.From.Before(r.To) {
			t.Errorf("%q: empty range %v", w, r)
		}
		if phrase != "today" && r == today {
			t.Errorf("%q reads as today: no rule for %q", w, phrase)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"mobile users from Germany who reached checkout but did not pay",
		`clicked "Pay now"`, "last 3 days", "why drop off", `"unterminated`, "/cart*", "non-"} {
		f.Add(s)
	}
	v := loadVocab(f, "shop")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s, v, corpusNow)
		if err != nil {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("Parse(%q): unexpected error %v", s, err)
			}
			return
		}
		if !strings.HasPrefix(r.Reading, "I read this as: ") {
			t.Fatalf("Parse(%q): reading %q", s, r.Reading)
		}
	})
}
