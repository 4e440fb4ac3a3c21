package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/insight"
)

var reportNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func plantedFacts(n int) []*core.Facts {
	return generate.Facts(generate.Options{Seed: 7, Sessions: n, Effects: generate.Effects{MobileCheckoutDrop: 3}})
}

func buildHTML(t testing.TB, facts []*core.Facts, drafts []insight.Draft, opt Options) (*Page, string) {
	t.Helper()
	opt.Now = reportNow
	p, err := FromFacts(facts, drafts, opt)
	if err != nil {
		t.Fatalf("FromFacts: %v", err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return p, buf.String()
}

func TestVendoredECharts(t *testing.T) {
	sum := sha256.Sum256([]byte(echartsJS))
	if got := hex.EncodeToString(sum[:]); got != echartsSHA256 {
		t.Errorf("echarts.min.js digest %s, want %s (see echarts/README.md)", got, echartsSHA256)
	}
	if strings.Contains(strings.ToLower(echartsJS), "</script") {
		t.Error("echarts.min.js contains </script and cannot be inlined")
	}
}

// TestEChartsMatchesWorkbench keeps one echarts release across the
// product: the report draws the same options the workbench does, so the
// vendored file must be the version the workbench's lock file installs.
func TestEChartsMatchesWorkbench(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "workbench", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatalf("workbench package-lock.json: %v", err)
	}
	want := lock.Packages["node_modules/echarts"].Version
	if want == "" {
		t.Fatal("the workbench's package-lock.json installs no echarts")
	}
	// The bundle exports its own version as echarts.version.
	m := regexp.MustCompile(`\.version="([0-9][^"]*)"`).FindStringSubmatch(echartsJS)
	if m == nil {
		t.Fatal("no version string found in echarts.min.js")
	}
	if m[1] != want {
		t.Errorf("the report embeds echarts %s, the workbench installs %s: vendor %s (see echarts/README.md)", m[1], want, want)
	}
}

func TestReportContents(t *testing.T) {
	facts := plantedFacts(2000)
	p, html := buildHTML(t, facts, nil, Options{Title: "Shop review"})
	if len(p.Numbers) < 6 || p.Numbers[0].Value != "2000" {
		t.Errorf("numbers = %+v, want sessions 2000 first", p.Numbers)
	}
	if p.Funnel == nil || len(p.Funnel.Steps) < 2 {
		t.Fatalf("no funnel in the report")
	}
	if len(p.Insights) == 0 || !strings.Contains(p.Insights[0].Title, "Mobile visitors drop off at /checkout") {
		t.Fatalf("first insight = %+v, want the planted mobile drop", p.Insights)
	}
	if p.ChartsN < 5 {
		t.Errorf("%d charts, want at least 5", p.ChartsN)
	}
	if got := strings.Count(html, `class="chart"`); got != p.ChartsN {
		t.Errorf("HTML has %d chart elements, page counts %d", got, p.ChartsN)
	}
	if len(p.Heatmaps) == 0 {
		t.Fatal("no heatmaps")
	}
	for _, h := range append(p.Heatmaps, *p.Insights[0].Heatmap) {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(string(h.Src), "data:image/png;base64,"))
		if err != nil {
			t.Fatalf("heatmap %s: %v", h.Title, err)
		}
		if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
			t.Errorf("heatmap %s is not a PNG: %v", h.Title, err)
		}
	}
	moment := regexp.MustCompile(`href="loupe://#/sessions/s_[0-9a-f_]+\?t=\d+"`)
	if n := len(moment.FindAllString(html, -1)); n < 3 {
		t.Errorf("%d links to moments, want at least 3", n)
	}
	// Nothing may load from elsewhere: no external scripts, styles or images.
	external := regexp.MustCompile(`(?i)<(script|img|link|iframe)[^>]+(src|href)="(https?:)?//`)
	if m := external.FindString(html); m != "" {
		t.Errorf("report loads something from the network: %s", m)
	}
}

func TestReportUsesEditedDrafts(t *testing.T) {
	facts := plantedFacts(2000)
	rep := insight.Scan(facts, insight.Options{})
	drafts := insight.DraftsOf(rep)
	drafts[0].Title, drafts[0].Body, drafts[0].Edited = "Phones struggle to pay", "Edited by hand.", true
	drafts[2].Title = "stale words of an unedited draft"
	drafts[1].Dismissed = true
	p, html := buildHTML(t, facts, drafts, Options{LinkBase: "http://127.0.0.1:8790/"})
	if p.Insights[0].Title != "Phones struggle to pay" || !strings.Contains(html, "Edited by hand.") {
		t.Errorf("edited draft not used: %q", p.Insights[0].Title)
	}
	for _, in := range p.Insights {
		if in.Title == "stale words of an unedited draft" {
			t.Error("an unedited draft's old words replaced the fresh scan's")
		}
		if in.Title == rep.Findings[1].Title {
			t.Errorf("dismissed draft %q is in the report", in.Title)
		}
	}
	if !strings.Contains(html, `href="http://127.0.0.1:8790/#/sessions/`) {
		t.Error("link base not applied to moments")
	}
}

func TestReportEscapesRecordedText(t *testing.T) {
	facts := plantedFacts(600)
	evil := `</script><script>alert(1)</script>`
	for _, f := range facts {
		for i := range f.Pageviews {
			if f.Pageviews[i].Path == "/cart" {
				f.Pageviews[i].Path = "/cart" + evil
			}
		}
	}
	_, html := buildHTML(t, facts, nil, Options{Title: "<b>" + evil})
	if strings.Contains(html, "<script>alert(1)") {
		t.Error("recorded text reached the page unescaped")
	}
	if strings.Count(html, "<script>") != 2 {
		t.Errorf("page has %d script elements, want exactly 2 (echarts and the drawing)", strings.Count(html, "<script>"))
	}
}

func TestReportOfEmptyWorkspace(t *testing.T) {
	p, html := buildHTML(t, nil, nil, Options{})
	if p.Numbers[0].Value != "0" || p.Funnel != nil || len(p.Insights) != 0 {
		t.Errorf("empty report = %+v", p)
	}
	if !strings.Contains(html, "Nothing stood out") {
		t.Error("empty report does not say nothing stood out")
	}
	_ = os.Stdout
}

func TestReportRefusesScriptLinks(t *testing.T) {
	for _, base := range []string{"javascript:alert(1)//", "data:text/html,", "JAVASCRIPT:x"} {
		if _, err := FromFacts(plantedFacts(50), nil, Options{LinkBase: base}); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("link base %q: err %v, want ErrInvalidOption", base, err)
		}
	}
}

// Session ids come from imported file names: a hostile one stays text in
// the page and a percent-encoded part of its moment links.
func TestReportEscapesHostileSessionIDs(t *testing.T) {
	facts := plantedFacts(600)
	const evil = `x"><img src=x onerror=parent.__pwned=1>[id](javascript:alert(1))`
	for i, f := range facts {
		f.Session.ID = fmt.Sprintf("%s-%d", evil, i)
	}
	p, html := buildHTML(t, facts, nil, Options{LinkBase: "http://127.0.0.1:8790/"})
	samples := 0
	for _, in := range p.Insights {
		samples += len(in.Moments)
	}
	if samples == 0 {
		t.Fatal("no moment links in the report: the test would prove nothing")
	}
	if strings.Contains(html, "<img src=x") || strings.Contains(html, `x"><img`) {
		t.Error("a session id reached the page as markup")
	}
	if !strings.Contains(html, "x&#34;&gt;&lt;img src=x onerror") {
		t.Error("the session id is not shown as text")
	}
	if !strings.Contains(html, `href="http://127.0.0.1:8790/#/sessions/x%22%3E%3Cimg%20src%3Dx`) {
		t.Error("moment links do not carry the percent-encoded session id")
	}
}
