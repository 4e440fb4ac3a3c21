package workspace

import (
	"context"
	"database/sql"
	"fmt"
)

// Dictionary tables (paths, selectors, strs) map a repeated string to a
// small integer id. Lookups go through an in-memory cache; ids created
// inside a transaction reach the cache only once that transaction commits,
// so a rollback never leaves the cache pointing at rows that do not exist.

// dictTable names a dictionary table and its text column.
type dictTable struct{ table, column string }

var (
	dictPaths     = dictTable{"paths", "path"}
	dictSelectors = dictTable{"selectors", "selector"}
	dictStrs      = dictTable{"strs", "s"}
)

// txDict resolves dictionary ids inside one transaction.
type txDict struct {
	db      *DB
	tx      *sql.Tx
	sel     map[dictTable]*sql.Stmt
	ins     map[dictTable]*sql.Stmt
	pending map[dictTable]map[string]int64 // committed with the transaction
	stage   map[dictTable]map[string]int64 // kept or dropped with the savepoint
	gen     int                            // db.dictGen when the transaction began
}

func newTxDict(ctx context.Context, db *DB, tx *sql.Tx) (*txDict, error) {
	d := &txDict{db: db, tx: tx, sel: map[dictTable]*sql.Stmt{}, ins: map[dictTable]*sql.Stmt{},
		pending: map[dictTable]map[string]int64{}, stage: map[dictTable]map[string]int64{}}
	db.dictMu.Lock()
	d.gen = db.dictGen
	db.dictMu.Unlock()
	for _, t := range []dictTable{dictPaths, dictSelectors, dictStrs} {
		s, err := db.txStmt(ctx, tx, fmt.Sprintf(`SELECT id FROM %s WHERE %s = ?`, t.table, t.column))
		if err != nil {
			return nil, fmt.Errorf("prepare %s lookup: %w", t.table, err)
		}
		i, err := db.txStmt(ctx, tx, fmt.Sprintf(`INSERT INTO %s (%s) VALUES (?)`, t.table, t.column))
		if err != nil {
			return nil, fmt.Errorf("prepare %s insert: %w", t.table, err)
		}
		d.sel[t], d.ins[t] = s, i
		d.pending[t], d.stage[t] = map[string]int64{}, map[string]int64{}
	}
	return d, nil
}

// id returns the id of s in table t, adding it if new.
func (d *txDict) id(ctx context.Context, t dictTable, s string) (int64, error) {
	if id, ok := d.stage[t][s]; ok {
		return id, nil
	}
	if id, ok := d.pending[t][s]; ok {
		return id, nil
	}
	d.db.dictMu.Lock()
	id, ok := d.db.dicts[t.table][s]
	d.db.dictMu.Unlock()
	if ok {
		return id, nil
	}
	err := d.sel[t].QueryRowContext(ctx, s).Scan(&id)
	if err == sql.ErrNoRows {
		res, ierr := d.ins[t].ExecContext(ctx, s)
		if ierr != nil {
			return 0, fmt.Errorf("add to %s: %w", t.table, ierr)
		}
		if id, err = res.LastInsertId(); err != nil {
			return 0, fmt.Errorf("add to %s: %w", t.table, err)
		}
		d.stage[t][s] = id
		return id, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up %s: %w", t.table, err)
	}
	// Found in the file but not cached: it was committed earlier, so the
	// shared cache may hold it right away.
	d.db.remember(t, s, id)
	return id, nil
}

// optID is id for a string that may be empty; empty maps to NULL.
func (d *txDict) optID(ctx context.Context, t dictTable, s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	return d.id(ctx, t, s)
}

// keepStage moves ids added since the last savepoint into pending.
func (d *txDict) keepStage() {
	for t, m := range d.stage {
		for s, id := range m {
			d.pending[t][s] = id
		}
		d.stage[t] = map[string]int64{}
	}
}

// dropStage forgets ids added since the last savepoint (rolled back).
func (d *txDict) dropStage() {
	for t := range d.stage {
		d.stage[t] = map[string]int64{}
	}
}

// committed publishes the transaction's new ids to the shared cache.
func (d *txDict) committed() {
	d.keepStage()
	d.db.dictMu.Lock()
	stale := d.gen != d.db.dictGen
	d.db.dictMu.Unlock()
	if stale {
		return
	}
	for t, m := range d.pending {
		for s, id := range m {
			d.db.remember(t, s, id)
		}
	}
}

// maxDictCache bounds each cached dictionary; past it the cache is
// dropped and refilled from the file, which is always right.
const maxDictCache = 200_000

func (db *DB) remember(t dictTable, s string, id int64) {
	db.dictMu.Lock()
	defer db.dictMu.Unlock()
	m := db.dicts[t.table]
	if m == nil || len(m) >= maxDictCache {
		m = map[string]int64{}
		db.dicts[t.table] = m
	}
	m[s] = id
}
