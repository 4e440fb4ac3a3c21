// Command duckdb-bench answers the same questions with DuckDB and with
// Loupe's analytics index (core/index) over the same generated sessions
// (core/generate, as `loupe bench` uses), checks the answers are equal and
// prints both times and their ratio per workspace size.
//
// It is its own module so that DuckDB (cgo, a bundled native library) never
// enters Loupe's build:
//
//	cd bench/duckdb && go run . --sessions 10000,100000,1000000
//
// DuckDB gets the sessions as tables (sessions, tags, pageviews, clicks)
// loaded through its appender, with each session's pageviews numbered in
// time order; Loupe gets the same facts through index.Builder. Both are
// timed warm, in process, after one untimed run.
package main

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
)

// question is one query asked of both engines.
type question struct {
	name   string
	duck   string                   // SQL returning one or more integer columns
	loupe  func(*index.Index) []int // the same numbers from the index
	counts []int                    // filled in: the agreed answer
}

func main() {
	sizes := flag.String("sessions", "10000,100000", "comma-separated workspace sizes in sessions")
	seed := flag.Uint64("seed", 1, "generator seed")
	runs := flag.Int("runs", 11, "timed runs per query and engine")
	threads := flag.Int("threads", 2, "DuckDB threads")
	flag.Parse()
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s, "_", "")))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "--sessions %q: want positive numbers separated by commas\n", *sizes)
			os.Exit(2)
		}
		if err := benchSize(context.Background(), n, *seed, max(*runs, 1), *threads); err != nil {
			fmt.Fprintln(os.Stderr, "duckdb-bench:", err)
			os.Exit(1)
		}
	}
}

// funnelSteps is the 4-step page funnel `loupe bench` times.
var funnelSteps = []string{"page:/", "page:/products*", "page:/cart", "page:/checkout"}

func questions() []*question {
	seg := func(text string) func(*index.Index) []int {
		e := segment.MustParse(text)
		return func(x *index.Index) []int { n, _ := x.Count(e); return []int{n} }
	}
	var q funnel.Query
	for _, s := range funnelSteps {
		st, _ := funnel.ParseStep(s)
		q.Steps = append(q.Steps, st)
	}
	return []*question{
		{name: `device = mobile`, duck: `SELECT count(*) FROM sessions WHERE lower(device) = 'mobile'`, loupe: seg(`device = mobile`)},
		{name: `country = DE`, duck: `SELECT count(*) FROM sessions WHERE lower(country) = 'de'`, loupe: seg(`country = DE`)},
		{name: `duration > 2m`, duck: `SELECT count(*) FROM sessions WHERE duration_ms > 120000`, loupe: seg(`duration > 2m`)},
		{name: `pageviews >= 3`, duck: `SELECT count(*) FROM sessions WHERE pageviews >= 3`, loupe: seg(`pageviews >= 3`)},
		{name: `duration < 30s`, duck: `SELECT count(*) FROM sessions WHERE duration_ms < 30000`, loupe: seg(`duration < 30s`)},
		{name: `duration >= 1m and duration <= 5m`, duck: `SELECT count(*) FROM sessions WHERE duration_ms BETWEEN 60000 AND 300000`, loupe: seg(`duration >= 1m and duration <= 5m`)},
		{name: `pageviews = 4`, duck: `SELECT count(*) FROM sessions WHERE pageviews = 4`, loupe: seg(`pageviews = 4`)},
		{name: `clicks <= 2`, duck: `SELECT count(*) FROM sessions WHERE clicks <= 2`, loupe: seg(`clicks <= 2`)},
		{name: `events > 40`, duck: `SELECT count(*) FROM sessions WHERE events > 40`, loupe: seg(`events > 40`)},
		{name: `errors != 0`, duck: `SELECT count(*) FROM sessions WHERE js_errors <> 0`, loupe: seg(`errors != 0`)},
		{name: `rage_clicks >= 1`, duck: `SELECT count(*) FROM sessions WHERE rage_clicks >= 1`, loupe: seg(`rage_clicks >= 1`)},
		{name: `dead_clicks = 1`, duck: `SELECT count(*) FROM sessions WHERE dead_clicks = 1`, loupe: seg(`dead_clicks = 1`)},
		{name: `error_clicks > 0`, duck: `SELECT count(*) FROM sessions WHERE error_clicks > 0`, loupe: seg(`error_clicks > 0`)},
		{name: `failed_requests >= 1`, duck: `SELECT count(*) FROM sessions WHERE failed_requests >= 1`, loupe: seg(`failed_requests >= 1`)},
		{name: `width < 800`, duck: `SELECT count(*) FROM sessions WHERE width < 800`, loupe: seg(`width < 800`)},
		{name: `height >= 700 and height < 900`, duck: `SELECT count(*) FROM sessions WHERE height >= 700 AND height < 900`, loupe: seg(`height >= 700 and height < 900`)},
		{name: `tag = rage_click`, duck: `SELECT count(*) FROM sessions s WHERE s.slot IN (SELECT slot FROM tags WHERE lower(tag) = 'rage_click')`, loupe: seg(`tag = rage_click`)},
		{name: `visited "/checkout*"`, duck: `SELECT count(*) FROM sessions s WHERE s.slot IN (SELECT slot FROM pageviews WHERE starts_with(path, '/checkout'))`, loupe: seg(`visited "/checkout*"`)},
		{name: `clicked "#pay"`, duck: `SELECT count(*) FROM sessions s WHERE s.slot IN (SELECT slot FROM clicks WHERE selector = '#pay' OR suffix(selector, ' #pay') OR suffix(selector, '>#pay'))`, loupe: seg(`clicked "#pay"`)},
		{name: `clicked "button.add-to-cart"`, duck: `SELECT count(*) FROM sessions s WHERE s.slot IN (SELECT slot FROM clicks WHERE selector = 'button.add-to-cart' OR suffix(selector, ' button.add-to-cart') OR suffix(selector, '>button.add-to-cart'))`, loupe: seg(`clicked "button.add-to-cart"`)},
		{name: `device = mobile and visited "/checkout*" and not tag = rage_click`,
			duck: `SELECT count(*) FROM sessions s WHERE lower(device) = 'mobile'
				AND s.slot IN (SELECT slot FROM pageviews WHERE starts_with(path, '/checkout'))
				AND s.slot NOT IN (SELECT slot FROM tags WHERE lower(tag) = 'rage_click')`,
			loupe: seg(`device = mobile and visited "/checkout*" and not tag = rage_click`)},
		{name: `(browser = firefox or browser = safari) and duration > 2m`,
			duck:  `SELECT count(*) FROM sessions WHERE (lower(browser) = 'firefox' OR lower(browser) = 'safari') AND duration_ms > 120000`,
			loupe: seg(`(browser = firefox or browser = safari) and duration > 2m`)},
		{name: "4-step page funnel (sequential, 30 min)", duck: funnelSQL, loupe: func(x *index.Index) []int {
			res, ok, err := x.Funnel(q)
			if err != nil || !ok {
				panic(fmt.Sprintf("index funnel: ok %v, %v", ok, err))
			}
			out := []int{}
			for _, s := range res.Steps {
				out = append(out, s.Count)
			}
			return out
		}},
		{name: "click heatmap /products/*: clicks, sessions", duck: `SELECT count(*), count(DISTINCT slot) FROM clicks WHERE starts_with(page, '/products/')`,
			loupe: func(x *index.Index) []int {
				clicks, sessions := x.ClicksOn("/products/*")
				return []int{clicks, sessions}
			}},
	}
}

// funnelSQL is the greedy sequential funnel in SQL, as Loupe evaluates
// it: from every pageview matching step 1, the next pageview matching
// step 2, from that the next matching step 3, and so on, each within the
// window of the first; a session's depth is its best start's. Window
// functions find each pageview's next match of every step, and equality
// joins follow the chain. Pageviews are numbered (pos) in time order at
// load, ties in recorded order, the order Loupe's timelines use.
const funnelSQL = `
WITH m AS (
	SELECT slot, pos, at_ms, path = '/' AS s1,
		min(CASE WHEN starts_with(path, '/products') THEN pos END) OVER w AS n2,
		min(CASE WHEN path = '/cart' THEN pos END) OVER w AS n3,
		min(CASE WHEN path = '/checkout' THEN pos END) OVER w AS n4
	FROM pageviews
	WINDOW w AS (PARTITION BY slot ORDER BY pos ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)),
chains AS (
	SELECT a.slot, CASE
		WHEN b.pos IS NULL OR b.at_ms - a.at_ms > 1800000 THEN 1
		WHEN c.pos IS NULL OR c.at_ms - a.at_ms > 1800000 THEN 2
		WHEN d.pos IS NULL OR d.at_ms - a.at_ms > 1800000 THEN 3
		ELSE 4 END AS depth
	FROM m a
	LEFT JOIN m b ON b.slot = a.slot AND b.pos = a.n2
	LEFT JOIN m c ON c.slot = a.slot AND c.pos = b.n3
	LEFT JOIN m d ON d.slot = a.slot AND d.pos = c.n4
	WHERE a.s1),
best AS (SELECT slot, max(depth) AS depth FROM chains GROUP BY slot)
SELECT count(*), count(*) FILTER (depth >= 2), count(*) FILTER (depth >= 3), count(*) FILTER (depth >= 4) FROM best`

func benchSize(ctx context.Context, n int, seed uint64, runs, threads int) error {
	conn, err := duckdb.NewConnector("", nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	db := sql.OpenDB(conn)
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range []string{
		fmt.Sprintf(`SET threads = %d`, threads),
		`CREATE TABLE sessions (slot INTEGER, id VARCHAR, device VARCHAR, browser VARCHAR, country VARCHAR, started BIGINT, duration_ms BIGINT, pageviews INTEGER,
			clicks INTEGER, rage_clicks INTEGER, dead_clicks INTEGER, error_clicks INTEGER, js_errors INTEGER, failed_requests INTEGER, events INTEGER, width INTEGER, height INTEGER)`,
		`CREATE TABLE tags (slot INTEGER, tag VARCHAR)`,
		`CREATE TABLE pageviews (slot INTEGER, pos INTEGER, at_ms BIGINT, path VARCHAR)`,
		`CREATE TABLE clicks (slot INTEGER, at_ms BIGINT, page VARCHAR, selector VARCHAR, x DOUBLE, y DOUBLE)`,
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("duckdb: %s: %w", s, err)
		}
	}
	fmt.Fprintf(os.Stderr, "%d sessions: generating and loading both engines\n", n)
	var duckLoad, ixLoad time.Duration
	var x *index.Index
	err = withAppenders(ctx, db, []string{"sessions", "tags", "pageviews", "clicks"}, func(app map[string]*duckdb.Appender) error {
		b := index.NewBuilder()
		err := generate.Each(generate.Options{Seed: seed, Sessions: n, NoEvents: true}, func(i int, g generate.Session) error {
			f := g.Facts
			t0 := time.Now()
			if err := b.Add(f); err != nil {
				return err
			}
			t1 := time.Now()
			s := f.Session
			slot := int32(i)
			errs := []error{app["sessions"].AppendRow(slot, s.ID, s.Device, s.Browser, s.Country, s.StartedAt.UnixMilli(), s.DurationMS, int32(s.Pageviews),
				int32(s.Clicks), int32(s.RageClicks), int32(s.DeadClicks), int32(s.ErrorClicks), int32(s.JSErrors), int32(s.FailedReqs), int32(s.Events),
				int32(s.Viewport.W), int32(s.Viewport.H))}
			for _, t := range s.Tags {
				errs = append(errs, app["tags"].AppendRow(slot, t))
			}
			order := make([]int, len(f.Pageviews))
			for k := range order {
				order[k] = k
			}
			slices.SortStableFunc(order, func(a, b int) int {
				return int(f.Pageviews[a].OffsetMS - f.Pageviews[b].OffsetMS)
			})
			for pos, k := range order {
				p := f.Pageviews[k]
				errs = append(errs, app["pageviews"].AppendRow(slot, int32(pos), p.OffsetMS, p.Path))
			}
			for _, c := range f.Clicks {
				errs = append(errs, app["clicks"].AppendRow(slot, c.OffsetMS, c.Path, c.Selector, c.X, c.Y))
			}
			ixLoad += t1.Sub(t0)
			duckLoad += time.Since(t1)
			return errors.Join(errs...)
		})
		if err != nil {
			return err
		}
		t0 := time.Now()
		x = b.Index() // finishing the index (dictionaries, range marks) is part of its load
		ixLoad += time.Since(t0)
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("\n### %d sessions (DuckDB threads=%d, GOMAXPROCS=%d)\n\n", n, threads, runtime.GOMAXPROCS(0))
	fmt.Printf("load average before the queries: %s\n", loadAverage())
	defer func() { fmt.Printf("\nload average after the queries: %s\n", loadAverage()) }()
	fmt.Printf("load from generated facts: DuckDB appender %s, Loupe index builder %s\n\n", ms(duckLoad), ms(ixLoad))
	fmt.Println("| question | answer | DuckDB p50 (min–max) | Loupe index p50 (min–max) | DuckDB / Loupe |")
	fmt.Println("| --- | --- | --: | --: | --: |")
	for _, q := range questions() {
		var duckAns []int
		dd, err := timed(runs, func() error {
			duckAns, err = duckInts(ctx, db, q.duck)
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		var ixAns []int
		ld, _ := timed(runs, func() error { ixAns = q.loupe(x); return nil })
		if !slices.Equal(duckAns, ixAns) {
			return fmt.Errorf("%s: DuckDB answers %v, Loupe %v", q.name, duckAns, ixAns)
		}
		dp, lp := median(dd), median(ld)
		fmt.Printf("| %s | %v | %s (%s–%s) | %s (%s–%s) | %.1f× |\n", q.name, ixAns, ms(dp), ms(slices.Min(dd)), ms(slices.Max(dd)),
			ms(lp), ms(slices.Min(ld)), ms(slices.Max(ld)), float64(dp)/float64(max(lp, time.Microsecond)))
	}
	return nil
}

// withAppenders opens one appender per table on one connection and closes
// (flushes) them all after fn.
func withAppenders(ctx context.Context, db *sql.DB, tables []string, fn func(map[string]*duckdb.Appender) error) error {
	c, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Raw(func(raw any) error {
		dc, ok := raw.(driver.Conn)
		if !ok {
			return fmt.Errorf("duckdb: unexpected connection type %T", raw)
		}
		apps := map[string]*duckdb.Appender{}
		for _, t := range tables {
			a, err := duckdb.NewAppenderFromConn(dc, "", t)
			if err != nil {
				return fmt.Errorf("duckdb appender %s: %w", t, err)
			}
			apps[t] = a
		}
		err := fn(apps)
		for _, a := range apps {
			err = errors.Join(err, a.Close())
		}
		return err
	})
}

// loadAverage is the machine's 1, 5 and 15 minute load, where the system
// tells it: times on a shared machine mean little without it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func duckInts(ctx context.Context, db *sql.DB, q string) ([]int, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if !rows.Next() {
		return nil, fmt.Errorf("no rows")
	}
	vals := make([]int64, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	out := make([]int, len(vals))
	for i, v := range vals {
		out[i] = int(v)
	}
	return out, rows.Err()
}

func timed(runs int, fn func() error) ([]time.Duration, error) {
	if err := fn(); err != nil {
		return nil, err
	}
	out := make([]time.Duration, runs)
	for i := range out {
		t0 := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		out[i] = time.Since(t0)
	}
	return out, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// ms prints a duration in milliseconds, to the microsecond below 1 ms.
func ms(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}
