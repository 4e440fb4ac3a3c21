package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

func init() {
	register(command{
		name:    "bench",
		summary: "build workspaces of generated sessions and measure import, filters, funnels, heatmaps, size and memory",
		run:     runBench,
	})
}

// benchSegments are the filters timed: single attributes, one behaviour
// and a compound segment.
var benchSegments = []string{
	`device = mobile`,
	`country = DE`,
	`duration > 2m`,
	`tag = rage_click`,
	`visited "/checkout*"`,
	`device = mobile and visited "/checkout*" and not tag = rage_click`,
}

// benchFunnel is the 4-step funnel timed.
var benchFunnel = []string{"page:/", "page:/products*", "page:/cart", "page:/checkout"}

// benchRow is one workspace size's measurements.
type benchRow struct {
	sessions, events int
	importDur        time.Duration
	rawRowsPerSec    float64
	filters          [][2]time.Duration // p50, p95 per benchSegments entry
	filterHits       []int
	funnel, heatmap  time.Duration
	bytesPerSession  float64
	sizeMethod       string
	peakHeap         uint64
	maxRSS           uint64
	// The same queries answered by the analytics index (core/index).
	ixBuild, ixRead time.Duration
	ixBytes         int64
	ixFilters       [][2]time.Duration
	ixFunnel        time.Duration
	// The sessions view: count plus the first window, and a jump.
	listFirst, listJumpCold, listJump time.Duration
	reused                            bool // timed on an existing workspace
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	sizes := fs.String("sessions", "10000", "comma-separated workspace sizes in sessions, e.g. 10000,100000")
	out := fs.String("out", "", "folder to keep the workspaces in (default: a temporary folder, removed afterwards)")
	seed := fs.Uint64("seed", 1, "generator seed")
	start := fs.String("start", "", "first day of the generated sessions, which span 14 days (YYYY-MM-DD; default 2026-11-01)")
	derive := fs.Bool("derive", true, "derive facts from the rrweb streams during import, as a real import does (false: store the generated facts)")
	runs := fs.Int("runs", 21, "timed runs per query")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	existing := fs.String("workspace", "", "time the queries on this existing workspace instead of generating new ones (--sessions is then ignored)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loupe bench [--sessions 10000,100000] [--out DIR]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	gen := generate.Options{Seed: *seed}
	if *start != "" {
		t, err := time.Parse(time.DateOnly, *start)
		if err != nil {
			return fmt.Errorf("%w: --start %q is not a date like 2026-11-01", errUsage, *start)
		}
		gen.Start = t
	}
	var counts []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s, "_", "")))
		if err != nil || n <= 0 {
			return fmt.Errorf("%w: --sessions %q: want positive numbers separated by commas", errUsage, *sizes)
		}
		counts = append(counts, n)
	}
	dir := *out
	if dir == "" {
		tmp, err := os.MkdirTemp("", "loupe-bench-")
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var rows []benchRow
	if *existing != "" {
		row, err := benchExisting(ctx, *existing, max(*runs, 1), stderr)
		if err != nil {
			return err
		}
		printBench(stdout, []benchRow{row}, *derive)
		return nil
	}
	for _, n := range counts {
		row, err := benchOne(ctx, dir, n, gen, *derive, max(*runs, 1), stderr)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	printBench(stdout, rows, *derive)
	return nil
}

func benchOne(ctx context.Context, dir string, n int, gen generate.Options, derive bool, runs int, stderr io.Writer) (benchRow, error) {
	row := benchRow{sessions: n}
	path := filepath.Join(dir, fmt.Sprintf("bench-%d.db", n))
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return row, fmt.Errorf("bench: %w", err)
		}
	}
	stopPeak := trackPeakHeap(&row.peakHeap)
	defer stopPeak()

	db, err := workspace.Open(ctx, path)
	if err != nil {
		return row, err
	}
	defer db.Close()
	fmt.Fprintf(stderr, "bench: importing %d generated sessions into %s\n", n, path)
	if row.events, row.importDur, err = benchImport(ctx, db, n, gen, derive, stderr); err != nil {
		return row, err
	}
	if row.rawRowsPerSec, err = rawInsertRate(ctx, dir, max(200_000, row.events/10)); err != nil {
		return row, err
	}
	err = benchQueries(ctx, db, path, runs, &row, stderr)
	return row, err
}

// benchExisting times the queries on a workspace made before (by an
// earlier `loupe bench --out DIR`, say): no import, no raw insert figure.
func benchExisting(ctx context.Context, path string, runs int, stderr io.Writer) (benchRow, error) {
	row := benchRow{reused: true}
	stopPeak := trackPeakHeap(&row.peakHeap)
	defer stopPeak()
	db, err := workspace.Open(ctx, path)
	if err != nil {
		return row, err
	}
	defer db.Close()
	if row.sessions, err = db.CountSegment(ctx, nil); err != nil {
		return row, err
	}
	if err := db.DB().QueryRowContext(ctx, `SELECT coalesce(sum(events), 0) FROM sessions`).Scan(&row.events); err != nil {
		return row, fmt.Errorf("bench: %w", err)
	}
	err = benchQueries(ctx, db, path, runs, &row, stderr)
	return row, err
}

// benchQueries times filters, the funnel, the heatmap, the session list
// and the analytics index on a workspace.
func benchQueries(ctx context.Context, db *workspace.DB, path string, runs int, rowp *benchRow, stderr io.Writer) error {
	row := rowp // the heap sampler writes row.peakHeap meanwhile: no copies
	n := row.sessions
	fmt.Fprintln(stderr, "bench: timing queries")
	for _, text := range benchSegments {
		e := segment.MustParse(text)
		var hits int
		// What the session list does: count the segment, show the newest 50.
		ds, err := timeRuns(runs, func() error {
			_, n, err := db.SegmentPage(ctx, e, 50)
			hits = n
			return err
		})
		if err != nil {
			return err
		}
		row.filters = append(row.filters, [2]time.Duration{percentile(ds, 0.5), percentile(ds, 0.95)})
		row.filterHits = append(row.filterHits, hits)
	}
	var q funnel.Query
	for _, s := range benchFunnel {
		st, _ := funnel.ParseStep(s)
		q.Steps = append(q.Steps, st)
	}
	ds, err := timeRuns(max(runs/3, 1), func() error { _, err := db.Funnel(ctx, q); return err })
	if err != nil {
		return err
	}
	row.funnel = percentile(ds, 0.5)
	ds, err = timeRuns(max(runs/3, 1), func() error {
		_, err := db.Heatmap(ctx, heatmap.Query{Page: "/products/*", Kind: heatmap.Clicks})
		return err
	})
	if err != nil {
		return err
	}
	row.heatmap = percentile(ds, 0.5)
	if err := benchIndex(ctx, db, q, runs, row, stderr); err != nil {
		return err
	}
	if err := benchSessionList(ctx, db, n, runs, row); err != nil {
		return err
	}
	if !row.reused { // an existing workspace's size is not this run's to report (and dbstat over gigabytes takes minutes)
		if row.bytesPerSession, row.sizeMethod, err = factBytes(ctx, db.DB(), path); err != nil {
			return err
		}
		row.bytesPerSession /= float64(n)
	} else {
		row.sizeMethod = "not measured (existing workspace)"
	}
	row.maxRSS = maxRSS()
	return nil
}

// benchImport generates and imports n sessions through the workspace's
// bulk path (Batch.AddAll: deriving and compressing on one worker per CPU,
// one writer; one transaction per 1000 sessions). Each 1000 sessions are
// generated first, untimed; the clock runs from BeginBatch to Commit.
func benchImport(ctx context.Context, db *workspace.DB, n int, gen generate.Options, derive bool, stderr io.Writer) (int, time.Duration, error) {
	const perTx = 1000
	var spent time.Duration
	events := 0
	items := make([]workspace.BulkItem, 0, perTx)
	lastReport := time.Now()
	flush := func() error {
		t0 := time.Now()
		b, err := db.BeginBatch(ctx)
		if err != nil {
			return err
		}
		defer b.Rollback()
		if err := b.AddAll(items, 0, nil); err != nil {
			return err
		}
		if err := b.Commit(); err != nil {
			return err
		}
		spent += time.Since(t0)
		items = items[:0]
		return nil
	}
	gen.Sessions = n
	err := generate.Each(gen, func(i int, s generate.Session) error {
		facts := s.Facts
		if derive {
			facts = nil
		}
		items = append(items, workspace.BulkItem{Header: s.Header, Events: s.Events, Facts: facts, ArchiveKey: s.Header.Session})
		events += len(s.Events)
		if len(items) < perTx && i < n-1 {
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		if time.Since(lastReport) > 2*time.Second {
			fmt.Fprintf(stderr, "bench: %d/%d sessions, %.0f events/s\n", i+1, n, float64(events)/spent.Seconds())
			lastReport = time.Now()
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("bench import: %w", err)
	}
	return events, spent, nil
}

// rawInsertRate measures SQLite itself on this machine in this run: rows
// of six columns, 10k per transaction, one prepared statement, the same
// pragmas as a workspace.
func rawInsertRate(ctx context.Context, dir string, rows int) (float64, error) {
	path := filepath.Join(dir, "raw-insert.db")
	defer func() {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(p)
		}
	}()
	db, err := sql.Open("sqlite", workspace.DSN(path))
	if err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER, d REAL, e REAL, f TEXT)`); err != nil {
		return 0, fmt.Errorf("raw insert: %w", err)
	}
	start := time.Now()
	for done := 0; done < rows; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, fmt.Errorf("raw insert: %w", err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			tx.Rollback()
			return 0, fmt.Errorf("raw insert: %w", err)
		}
		for i := 0; i < 10_000 && done < rows; i++ {
			if _, err := st.ExecContext(ctx, done, done%97, done%13, float64(done)*0.5, 1.25, "click"); err != nil {
				tx.Rollback()
				return 0, fmt.Errorf("raw insert: %w", err)
			}
			done++
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return 0, fmt.Errorf("raw insert: %w", err)
		}
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}

// factBytes is the workspace's size without replay data: from SQLite's
// dbstat table when available, else the file size minus the replay tables'
// payload bytes.
func factBytes(ctx context.Context, db *sql.DB, path string) (float64, string, error) {
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, "", fmt.Errorf("bench size: %w", err)
	}
	var total sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT sum(pgsize) FROM dbstat WHERE name NOT LIKE 'replay%' AND name NOT LIKE 'sqlite_autoindex_replay%'`).Scan(&total)
	if err == nil && total.Valid {
		return float64(total.Int64), "dbstat pages, replay tables excluded", nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, "", fmt.Errorf("bench size: %w", err)
	}
	var replay int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(length(data)), 0) FROM replay_chunks`).Scan(&replay); err != nil {
		return 0, "", fmt.Errorf("bench size: %w", err)
	}
	return float64(st.Size() - replay), "file size minus replay chunk bytes", nil
}

// startCPUProfile profiles the run into path until the returned stop.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func timeRuns(n int, fn func() error) ([]time.Duration, error) {
	if err := fn(); err != nil { // warm the page cache once, untimed
		return nil, err
	}
	out := make([]time.Duration, n)
	for i := range out {
		t0 := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		out[i] = time.Since(t0)
	}
	return out, nil
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(k, len(s)-1))]
}

// trackPeakHeap samples the Go heap until stopped.
func trackPeakHeap(peak *uint64) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// maxRSS is the process's peak resident memory from /proc (Linux); 0 when
// the system does not say.
func maxRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func printBench(w io.Writer, rows []benchRow, derive bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, "measure\ttarget\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d sessions\t", r.sessions)
	}
	fmt.Fprintln(tw)
	line := func(name, target string, f func(r benchRow) string) {
		fmt.Fprintf(tw, "%s\t%s\t", name, target)
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t", f(r))
		}
		fmt.Fprintln(tw)
	}
	line("events", "", func(r benchRow) string { return fmt.Sprint(r.events) })
	what := "import events/s (derive + store)"
	if !derive {
		what = "import events/s (store only)"
	}
	line(what, "≥ 150000", func(r benchRow) string {
		if r.importDur == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f", float64(r.events)/r.importDur.Seconds())
	})
	line("SQLite raw insert rows/s", "", func(r benchRow) string {
		if r.rawRowsPerSec == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f", r.rawRowsPerSec)
	})
	for i, s := range benchSegments {
		target := "≤ 20 ms p50"
		if i == len(benchSegments)-1 {
			target = ""
		}
		i := i
		line("filter "+s+" (p50/p95)", target, func(r benchRow) string {
			return fmt.Sprintf("%s / %s (%d)", ms(r.filters[i][0]), ms(r.filters[i][1]), r.filterHits[i])
		})
	}
	line("4-step funnel p50", "≤ 300 ms", func(r benchRow) string { return ms(r.funnel) })
	line("sessions view: first 200 rows (count + window)", "≤ 150 ms", func(r benchRow) string { return ms(r.listFirst) })
	line("sessions view: jump to the middle, first time / again", "≤ 100 ms", func(r benchRow) string {
		return fmt.Sprintf("%s / %s", ms(r.listJumpCold), ms(r.listJump))
	})
	line("index: build from the workspace", "", func(r benchRow) string { return ms(r.ixBuild) })
	line("index: file size / read", "", func(r benchRow) string {
		return fmt.Sprintf("%.1f MB / %s", float64(r.ixBytes)/1e6, ms(r.ixRead))
	})
	for i, s := range benchSegments {
		i := i
		line("index: filter "+s+" (p50/p95)", "≤ 5 ms p50", func(r benchRow) string {
			return fmt.Sprintf("%s / %s", ms(r.ixFilters[i][0]), ms(r.ixFilters[i][1]))
		})
	}
	line("index: 4-step funnel p50", "", func(r benchRow) string { return ms(r.ixFunnel) })
	line("click heatmap /products/* p50", "≤ 200 ms", func(r benchRow) string { return ms(r.heatmap) })
	line("bytes/session without replay", "≤ 1536", func(r benchRow) string { return fmt.Sprintf("%.0f", r.bytesPerSession) })
	line("peak Go heap", "", func(r benchRow) string { return fmt.Sprintf("%.0f MB", float64(r.peakHeap)/1e6) })
	line("peak RSS (process so far)", "", func(r benchRow) string { return fmt.Sprintf("%.0f MB", float64(r.maxRSS)/1e6) })
	tw.Flush()
	if len(rows) > 0 {
		fmt.Fprintf(w, "\nfunnel: %s; a filter counts its sessions (in brackets) and lists the newest 50; size: %s; %s/%s, %d CPUs\n",
			strings.Join(benchFunnel, " → "), rows[0].sizeMethod, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	}
}
