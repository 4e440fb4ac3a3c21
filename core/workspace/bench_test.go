package workspace

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/derive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// Run: go test ./core/workspace -run '^$' -bench 'Import$|ImportWithDerive|OnePerTx|RawInsert' -benchtime 5000x
// (5000 generated sessions of ~100 events each per import benchmark, and
// 500k raw rows for SQLite's own rate in the same run).

type genItem struct {
	h      archive.Header
	events []rrweb.Event
	facts  *core.Facts
}

func genItems(n int, withFacts bool) ([]genItem, int) {
	rng := rand.New(rand.NewPCG(1, 2))
	items := make([]genItem, n)
	events := 0
	for i := range items {
		h, evs := genSession(rng, i)
		items[i] = genItem{h: h, events: evs}
		if withFacts {
			items[i].facts = derive.Session(h, evs, core.Default())
		}
		events += len(evs)
	}
	return items, events
}

// importBatches imports items, batch sessions per transaction.
func importBatches(b *testing.B, db *DB, items []genItem, batch int) {
	ctx := context.Background()
	for start := 0; start < len(items); start += batch {
		tx, err := db.BeginBatch(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range items[start:min(start+batch, len(items))] {
			if _, err := tx.Add(it.h, it.events, it.facts, it.h.Session, "sha-"+it.h.Session); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport measures the workspace write path (facts derived
// beforehand, as sync's workers do) in batches of 500 sessions, and reports
// the bytes per session outside the replay tables.
func BenchmarkImport(b *testing.B) {
	items, events := genItems(b.N, true)
	db := openTemp(b)
	b.ResetTimer()
	importBatches(b, db, items, 500)
	b.StopTimer()
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
	reportSize(b, db, b.N)
}

// BenchmarkImportWithDerive adds deriving on the same goroutine.
func BenchmarkImportWithDerive(b *testing.B) {
	items, events := genItems(b.N, false)
	db := openTemp(b)
	b.ResetTimer()
	importBatches(b, db, items, 500)
	b.StopTimer()
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkImportOnePerTx is the sync path: one transaction per session.
func BenchmarkImportOnePerTx(b *testing.B) {
	items, events := genItems(b.N, true)
	db := openTemp(b)
	ctx := context.Background()
	b.ResetTimer()
	for _, it := range items {
		if _, err := db.Import(ctx, it.h, it.events, it.facts, it.h.Session, "sha-"+it.h.Session); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// rawRowsPerOp makes one BenchmarkRawInsert op 100 rows, so the same
// -benchtime Nx that imports N sessions inserts a comparable bulk.
const rawRowsPerOp = 100

// BenchmarkRawInsert is SQLite's raw rate on this machine for comparison:
// six-column rows, 10k per transaction, one prepared statement.
func BenchmarkRawInsert(b *testing.B) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "raw.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	raw := db.DB()
	if _, err := raw.Exec(`CREATE TABLE raw (a INTEGER, b INTEGER, c REAL, d REAL, e TEXT, f INTEGER)`); err != nil {
		b.Fatal(err)
	}
	rows := b.N * rawRowsPerOp
	b.ResetTimer()
	for done := 0; done < rows; {
		tx, err := raw.Begin()
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.Prepare(`INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 10_000 && done < rows; j++ {
			if _, err := st.Exec(done, j, float64(j)*0.5, float64(done), "/products/1", j%7); err != nil {
				b.Fatal(err)
			}
			done++
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// reportSize reports bytes per session in every table but the replay
// ones, from SQLite's own page accounting.
func reportSize(b *testing.B, db *DB, sessions int) {
	var facts, replay int64
	rows, err := db.DB().Query(`SELECT name, sum(pgsize) FROM dbstat GROUP BY name`)
	if err != nil {
		b.Logf("dbstat unavailable: %v", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var size int64
		if err := rows.Scan(&name, &size); err != nil {
			b.Fatal(err)
		}
		if testing.Verbose() {
			var n int
			db.DB().QueryRow(`SELECT count(*) FROM "` + name + `"`).Scan(&n)
			b.Logf("%-28s %8.0f B/session %8d rows", name, float64(size)/float64(sessions), n)
		}
		switch name {
		case "replays", "replay_chunks", "sqlite_autoindex_replays_1":
			replay += size
		default:
			facts += size
		}
	}
	if testing.Verbose() {
		var sample string
		db.DB().QueryRow(`SELECT json_array(sid, seq, offset_ms, pageview, path_id, x, y, rel_x, rel_y, selector_id, tag_id, text_id, flags) FROM clicks LIMIT 1 OFFSET 100`).Scan(&sample)
		b.Logf("click row: %s", sample)
		var payload, unused, pg int64
		db.DB().QueryRow(`SELECT sum(payload), sum(unused), sum(pgsize) FROM dbstat WHERE name = 'clicks'`).Scan(&payload, &unused, &pg)
		b.Logf("clicks: payload %d unused %d pages %d", payload, unused, pg)
	}
	b.ReportMetric(float64(facts)/float64(sessions), "B/session")
	b.ReportMetric(float64(replay)/float64(sessions), "replayB/session")
}
