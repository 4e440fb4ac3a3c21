package workspace

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/derive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// ErrInvalidSession is returned for an archive that names no session.
var ErrInvalidSession = errors.New("invalid session")

// ImportResult says what one import did.
type ImportResult struct {
	Session string `json:"session"`
	// Skipped is true when an archive with the same digest was already
	// imported: nothing changed.
	Skipped bool `json:"skipped"`
	// Merged is true when the session was already in the workspace (another
	// part of it): the events were merged by time and the facts re-derived.
	Merged bool `json:"merged"`
	// Events is the number of events the session holds after the import.
	Events int `json:"events"`
	// Uninterpreted is what the deriver could not interpret, by kind.
	Uninterpreted map[string]int `json:"uninterpreted,omitempty"`
}

// Import stores one session archive in one transaction. It is idempotent:
// an archive whose sha is already recorded is skipped. When the session is
// already present (Header.Part > 0, or the same session id from another
// archive), the stored events and the new ones are merged by timestamp and
// the facts re-derived with core/derive, replacing the old ones; manual and
// rule tags survive. facts may be nil, in which case Import derives them;
// callers that derive in parallel pass them in.
func (db *DB) Import(ctx context.Context, hdr archive.Header, events []rrweb.Event, facts *core.Facts, archiveKey, sha string) (ImportResult, error) {
	b, err := db.BeginBatch(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	defer b.Rollback()
	res, err := b.Add(hdr, events, facts, archiveKey, sha)
	if err != nil {
		return res, err
	}
	return res, b.Commit()
}

// Batch imports many sessions in one transaction with prepared
// statements: the bulk path for generated data and large imports. Each Add
// is atomic on its own (a savepoint), so one bad session does not spoil
// the others. AddAll (bulk.go) does the same for many archives, deriving
// and compressing on several goroutines.
type Batch struct {
	ctx   context.Context
	db    *DB
	conn  *sql.Conn
	tx    *sql.Tx
	dict  *txDict
	st    *importStmts
	defs  core.Definitions
	sites map[string]int64
	done  bool
	// unguarded batches add sessions without a savepoint each (see
	// BeginBulk); broken is the error that spoiled such a batch.
	unguarded bool
	broken    error
}

// BeginBatch starts a write transaction for imports.
func (db *DB) BeginBatch(ctx context.Context) (*Batch, error) { return db.beginBatch(ctx, false) }

// BeginBulk starts a batch for importers that give up on the first
// error: its sessions are added without a savepoint each, which saves a
// statement journal per session, so a failed Add spoils the whole batch
// (later Adds and Commit refuse; roll it back). Refusals that happen
// before anything is written (ErrInvalidSession) do not spoil it.
//
// A bulk batch also leaves foreign keys unchecked on its connection:
// every row it adds names the session it has just written (or the site
// and visitor it has just looked up), so the checks could only pass, and
// they were a tenth of its time. Its connection also checkpoints less
// often (bulkCheckpointPages). Both are set back once the batch ends.
func (db *DB) BeginBulk(ctx context.Context) (*Batch, error) { return db.beginBatch(ctx, true) }

func (db *DB) beginBatch(ctx context.Context, bulk bool) (*Batch, error) {
	defs, err := db.Definitions(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	// Each Add is a savepoint, whose statement journal SQLite otherwise
	// spills to a temporary file: that write was a tenth of import time.
	// The pragmas cannot change inside a transaction, hence the connection.
	// A larger page cache keeps the indexes' inner pages in memory as the
	// workspace grows past the default cache.
	pragmas := `PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072`
	if bulk {
		pragmas += `; PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = ` + strconv.Itoa(bulkCheckpointPages)
	}
	if _, err := conn.ExecContext(ctx, pragmas); err != nil {
		releaseConn(conn, bulk)
		return nil, fmt.Errorf("begin import: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		releaseConn(conn, bulk)
		return nil, fmt.Errorf("begin import: %w", err)
	}
	b := &Batch{ctx: ctx, db: db, conn: conn, tx: tx, defs: defs, sites: map[string]int64{}, unguarded: bulk}
	if b.dict, err = newTxDict(ctx, db, tx); err != nil {
		b.Rollback()
		return nil, err
	}
	if b.st, err = prepareImport(ctx, db, tx); err != nil {
		b.Rollback()
		return nil, err
	}
	return b, nil
}

// A bulk batch's connection copies its write-ahead log back into the
// workspace when the log passes bulkCheckpointPages (64 MiB) rather than
// SQLite's default of 1,000 pages (4 MiB): the pages every commit
// rewrites (index roots and inner pages) are then copied once per 64 MiB
// instead of sixteen times. Checkpoints were more than half of a sync's
// commit time.
const (
	bulkCheckpointPages    = 16384
	defaultCheckpointPages = 1000
)

// releaseConn hands a batch's connection back to the pool, with foreign
// keys checked again and the default checkpoint after a bulk batch; a
// connection that cannot be set back is closed rather than handed to
// another query without them.
func releaseConn(conn *sql.Conn, bulk bool) {
	if bulk {
		restore := `PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = ` + strconv.Itoa(defaultCheckpointPages)
		if _, err := conn.ExecContext(context.Background(), restore); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	conn.Close()
}

// Commit makes every successful Add durable.
func (b *Batch) Commit() error {
	if b.done {
		return errors.New("commit import: batch already finished")
	}
	if b.broken != nil {
		return fmt.Errorf("commit import: a session failed in this unguarded batch: %w", b.broken)
	}
	b.done = true
	defer releaseConn(b.conn, b.unguarded)
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("commit import: %w", err)
	}
	b.dict.committed()
	return nil
}

// Failed is the error that spoiled an unguarded batch, nil if none.
func (b *Batch) Failed() error { return b.broken }

// Rollback drops the batch; after Commit it does nothing.
func (b *Batch) Rollback() error {
	if b.done {
		return nil
	}
	b.done = true
	defer releaseConn(b.conn, b.unguarded)
	return b.tx.Rollback()
}

// Add imports one session archive into the batch (see Import).
func (b *Batch) Add(hdr archive.Header, events []rrweb.Event, facts *core.Facts, archiveKey, sha string) (ImportResult, error) {
	return b.addItem(incoming{hdr: hdr, events: events, facts: facts, count: len(events)}, archiveKey, sha)
}

// addItem stores one session, inside a savepoint unless the batch is
// unguarded.
func (b *Batch) addItem(in incoming, archiveKey, sha string) (ImportResult, error) {
	hdr := in.hdr
	res := ImportResult{Session: hdr.Session}
	if hdr.Session == "" {
		return res, fmt.Errorf("import %s: %w: the header names no session", archiveKey, ErrInvalidSession)
	}
	if b.broken != nil {
		return res, fmt.Errorf("import %s: an earlier session failed in this unguarded batch: %w", hdr.Session, b.broken)
	}
	if sha != "" {
		var sess string
		err := b.st.findArchive.QueryRowContext(b.ctx, sha).Scan(&sess)
		if err == nil {
			res.Skipped = true
			return res, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return res, fmt.Errorf("import %s: %w", hdr.Session, err)
		}
	}
	if b.unguarded {
		res, err := b.add(in, archiveKey, sha)
		if err != nil {
			b.broken = err
			return res, err
		}
		b.dict.keepStage()
		return res, nil
	}
	if _, err := b.tx.ExecContext(b.ctx, `SAVEPOINT import_one`); err != nil {
		return res, fmt.Errorf("import %s: %w", hdr.Session, err)
	}
	res, err := b.add(in, archiveKey, sha)
	if err != nil {
		b.dict.dropStage()
		if _, rerr := b.tx.ExecContext(b.ctx, `ROLLBACK TO import_one; RELEASE import_one`); rerr != nil {
			return res, errors.Join(err, fmt.Errorf("roll back import: %w", rerr))
		}
		return res, err
	}
	b.dict.keepStage()
	if _, err := b.tx.ExecContext(b.ctx, `RELEASE import_one`); err != nil {
		return res, fmt.Errorf("import %s: %w", hdr.Session, err)
	}
	return res, nil
}

func (b *Batch) add(in incoming, archiveKey, sha string) (ImportResult, error) {
	ctx := b.ctx
	hdr, events, facts, chunks, count := in.hdr, in.events, in.facts, in.chunks, in.count
	res := ImportResult{Session: hdr.Session}
	part := hdr.Part // before a merge folds the parts into one header
	var sid int64
	err := b.st.findSession.QueryRowContext(ctx, hdr.Session).Scan(&sid)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		sid = 0
	case err != nil:
		return res, fmt.Errorf("import %s: %w", hdr.Session, err)
	default:
		// Another part of a session already here: merge and re-derive.
		oldHdr, oldEvents, err := loadReplay(ctx, b.tx, sid)
		if err != nil {
			return res, fmt.Errorf("import %s: merge: %w", hdr.Session, err)
		}
		newEvents, err := in.eventsForMerge()
		if err != nil {
			return res, fmt.Errorf("import %s: merge: %w", hdr.Session, err)
		}
		hdr = mergeHeaders(oldHdr, hdr)
		events = mergeEvents(oldEvents, newEvents)
		count = len(events)
		facts, chunks = nil, nil
		res.Merged = true
		for _, st := range b.st.clear {
			if _, err := st.ExecContext(ctx, sid); err != nil {
				return res, fmt.Errorf("import %s: clear old facts: %w", hdr.Session, err)
			}
		}
	}
	if facts == nil {
		facts = derive.Session(hdr, events, b.defs)
	}
	sid, err = b.putSession(hdr, facts, sid)
	if err != nil {
		return res, fmt.Errorf("import %s: %w", hdr.Session, err)
	}
	if err := b.putFacts(sid, facts); err != nil {
		return res, fmt.Errorf("import %s: %w", hdr.Session, err)
	}
	if chunks == nil {
		if chunks, err = encodeChunks(events); err != nil {
			return res, fmt.Errorf("import %s: %w", hdr.Session, err)
		}
	}
	if err := b.putReplay(sid, hdr, count, chunks); err != nil {
		return res, fmt.Errorf("import %s: %w", hdr.Session, err)
	}
	if sha != "" {
		if _, err := b.st.addArchive.ExecContext(ctx, sha, archiveKey, hdr.Session, part, time.Now().UnixMilli()); err != nil {
			return res, fmt.Errorf("import %s: record archive: %w", hdr.Session, err)
		}
	}
	res.Events = count
	res.Uninterpreted = facts.Uninterpreted
	return res, nil
}

// siteID returns the id of a site name, adding it if new. Only sites read
// back from the file are cached: one added inside an Add that later rolls
// back must not be remembered.
func (b *Batch) siteID(name string) (int64, error) {
	if id, ok := b.sites[name]; ok {
		return id, nil
	}
	var id int64
	err := b.st.findSite.QueryRowContext(b.ctx, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		r, ierr := b.st.addSite.ExecContext(b.ctx, name)
		if ierr != nil {
			return 0, fmt.Errorf("add site: %w", ierr)
		}
		return r.LastInsertId()
	}
	if err != nil {
		return 0, fmt.Errorf("find site: %w", err)
	}
	b.sites[name] = id
	return id, nil
}
