package demoshop

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// ReplayOptions shape the demo traffic made from the recordings.
type ReplayOptions struct {
	// Base is the collector's base URL (also the shop's origin).
	Base string
	// CDN is the origin of the shop's CDN (CDNHandler). Recorded URLs of
	// any origin other than the recorded page's own are rewritten to it,
	// so replayed sessions name pictures and fonts where they are served
	// now. Empty: every recorded origin becomes Base.
	CDN string
	// Variants is how many sessions each recording becomes (default 6):
	// each variant gets its own session id, a start time spread over the
	// last Days days, and a browser, so dashboards have periods to compare.
	Variants int
	// Days is the span the demo sessions are spread over (default 28).
	Days int
	// Now anchors the spread (default time.Now).
	Now time.Time
	// Progress is called after each session is sent.
	Progress func(done, total int)
}

// Stats counts what a replay sent.
type Stats struct {
	Sessions int
	Batches  int
	Events   int
}

// recordedBatch is the part of an ingest batch a replay rewrites; events
// stay raw apart from their timestamps.
type recordedBatch struct {
	Site    string            `json:"site"`
	Session string            `json:"session"`
	Visitor string            `json:"visitor"`
	Seq     int               `json:"seq"`
	SentAt  int64             `json:"sent_at"`
	Tracker string            `json:"tracker"`
	Events  []json.RawMessage `json:"events"`
}

// userAgents give demo variants realistic browsers; mobile recordings get
// mobile ones. The collector takes the browser from the request, as it does
// for real visits.
var (
	desktopAgents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
	}
	mobileAgents = []string{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
	}
	languages = []string{"en-US,en;q=0.9", "de-DE,de;q=0.9", "en-GB,en;q=0.8", "fr-FR,fr;q=0.9", "nl-NL,nl;q=0.9", "es-ES,es;q=0.9"}
)

// Replay sends every recording in recordings (files NN-name.ndjson.gz, one
// ingest batch per line) to the collector at opts.Base as opts.Variants
// sessions each, rewriting ids, timestamps and the recorded origin.
func Replay(ctx context.Context, recordings fs.FS, opts ReplayOptions) (Stats, error) {
	if opts.Variants <= 0 {
		opts.Variants = 6
	}
	if opts.Days <= 0 {
		opts.Days = 28
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	names, err := fs.Glob(recordings, "*.ndjson.gz")
	if err != nil {
		return Stats{}, err
	}
	sort.Strings(names)
	if len(names) == 0 {
		return Stats{}, fmt.Errorf("replay demo traffic: no recordings found")
	}
	client := &http.Client{Timeout: 30 * time.Second}
	var st Stats
	total := len(names) * opts.Variants
	for i, name := range names {
		batches, err := readRecording(recordings, name)
		if err != nil {
			return st, err
		}
		for v := 0; v < opts.Variants; v++ {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			n, err := sendVariant(ctx, client, batches, name, v, opts)
			if err != nil {
				return st, fmt.Errorf("replay %s variant %d: %w", name, v, err)
			}
			st.Sessions++
			st.Batches += len(batches)
			st.Events += n
			if opts.Progress != nil {
				opts.Progress(i*opts.Variants+v+1, total)
			}
		}
	}
	return st, nil
}

func readRecording(recordings fs.FS, name string) ([]recordedBatch, error) {
	f, err := recordings.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read recording %s: %w", name, err)
	}
	var out []recordedBatch
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var b recordedBatch
		if err := json.Unmarshal(sc.Bytes(), &b); err != nil {
			return nil, fmt.Errorf("read recording %s: line %d: %w", name, len(out)+1, err)
		}
		out = append(out, b)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read recording %s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read recording %s: no batches", name)
	}
	return out, nil
}

var originPattern = regexp.MustCompile(`https?://(127\.0\.0\.1|localhost):\d+`)

// sendVariant posts one variant of a recording and returns its event count.
func sendVariant(ctx context.Context, client *http.Client, batches []recordedBatch, name string, v int, opts ReplayOptions) (int, error) {
	seed := hash(fmt.Sprintf("%s/%d", name, v))
	session := fmt.Sprintf("s_demo%08x%02d", seed, v)
	// Every third variant comes back as an earlier variant's visitor, so
	// the demo has returning visitors.
	visitor := fmt.Sprintf("v_demo%08x", hash(fmt.Sprintf("%s/%d", name, v-v%3)))
	first := firstTimestamp(batches)
	daysAgo := time.Duration(seed%uint32(opts.Days*24*60)) * time.Minute
	shift := opts.Now.Add(-daysAgo).UnixMilli() - first
	mobile := strings.Contains(name, "mobile")
	agents := desktopAgents
	if mobile {
		agents = mobileAgents
	}
	ua := agents[int(seed)%len(agents)]
	lang := languages[int(seed/7)%len(languages)]

	recorded := pageOrigin(batches)
	events := 0
	for _, b := range batches {
		b.Session, b.Visitor = session, visitor
		b.SentAt += shift
		shifted := make([]json.RawMessage, len(b.Events))
		for i, raw := range b.Events {
			shifted[i] = shiftTimestamp(raw, shift)
		}
		b.Events = shifted // b is a copy; the recording itself stays as read
		body, err := json.Marshal(b)
		if err != nil {
			return events, err
		}
		body = originPattern.ReplaceAllFunc(body, func(o []byte) []byte {
			if opts.CDN != "" && recorded != "" && string(o) != recorded {
				return []byte(opts.CDN)
			}
			return []byte(opts.Base)
		})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, opts.Base+"/v1/ingest", bytes.NewReader(body))
		if err != nil {
			return events, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", opts.Base)
		req.Header.Set("User-Agent", ua)
		req.Header.Set("Accept-Language", lang)
		resp, err := client.Do(req)
		if err != nil {
			return events, err
		}
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return events, fmt.Errorf("collector answered %s: %s", resp.Status, bytes.TrimSpace(msg))
		}
		events += len(b.Events)
	}
	return events, nil
}

// pageOrigin is the origin of the first page a recording visited (its
// first Meta event's href): the shop's origin at record time. Empty when
// the recording has no Meta event on a loopback origin.
func pageOrigin(batches []recordedBatch) string {
	for _, b := range batches {
		for _, raw := range b.Events {
			var e struct {
				Type int `json:"type"`
				Data struct {
					Href string `json:"href"`
				} `json:"data"`
			}
			if json.Unmarshal(raw, &e) == nil && e.Type == 4 {
				if loc := originPattern.FindStringIndex(e.Data.Href); loc != nil && loc[0] == 0 {
					return e.Data.Href[:loc[1]]
				}
				return ""
			}
		}
	}
	return ""
}

func firstTimestamp(batches []recordedBatch) int64 {
	var first int64
	for _, b := range batches {
		for _, raw := range b.Events {
			var e struct {
				Timestamp float64 `json:"timestamp"`
			}
			if json.Unmarshal(raw, &e) == nil && e.Timestamp > 0 && (first == 0 || int64(e.Timestamp) < first) {
				first = int64(e.Timestamp)
			}
		}
	}
	return first
}

// shiftTimestamp moves one raw event in time, keeping every other field.
func shiftTimestamp(raw json.RawMessage, by int64) json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return raw
	}
	var ts float64
	if json.Unmarshal(m["timestamp"], &ts) != nil {
		return raw
	}
	m["timestamp"], _ = json.Marshal(int64(ts) + by)
	out, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return out
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
