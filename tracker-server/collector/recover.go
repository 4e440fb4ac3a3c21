package collector

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// recover rebuilds the collector's state from disk after a start: the seqs
// of recently sealed parts from the sealed index, the open parts and their
// seqs from the session logs (cutting torn tails), and the parts whose
// sealing had begun, which go back to the upload queue under their key.
func (c *Collector) recover() error {
	now := c.now()
	idx, entries, err := loadSealedIndex(filepath.Join(c.cfg.DataDir, "sealed.log"), seenRetention, now)
	if err != nil {
		return err
	}
	c.index = idx
	stored := map[string]bool{}
	for _, e := range entries {
		ss := c.seenFor(e.Session)
		i := 0
		for _, r := range e.Seqs {
			for s := r[0]; s <= r[1] && s-r[0] < 1<<20; s++ {
				var sum uint64
				if i < len(e.Sums) {
					sum = e.Sums[i]
				}
				i++
				ss.seqs[s] = seqMark{ack: durable, sum: sum}
			}
		}
		ss.nextPart = max(ss.nextPart, e.Part+1)
		ss.touched = time.UnixMilli(e.SealedAt)
		ss.bytes += e.Bytes
		ss.truncated = ss.truncated || e.Truncated
		stored[partName(e.Session, e.Part)] = true
	}
	// Sealed archives in the sealing directory are rebuilt from their logs
	// (the bytes are a function of the log), so leftovers can go.
	if err := clearDir(c.sealingDir); err != nil {
		return err
	}
	logs, err := c.readLogs()
	if err != nil {
		return err
	}
	latest := map[string]int{} // session → highest unsealed part
	for _, l := range logs {
		if l.Seal == nil && !stored[partName(l.Open.Session, l.Open.Part)] {
			if p, ok := latest[l.Open.Session]; !ok || l.Open.Part > p {
				latest[l.Open.Session] = l.Open.Part
			}
		}
	}
	for _, l := range logs {
		if err := c.restore(l, stored, latest, now); err != nil {
			return err
		}
	}
	c.removeOrphanManifests()
	if n := len(c.open) + len(c.pending); n > 0 {
		c.cfg.Logger.Info("recovered session logs", "open", len(c.open), "pending_upload", len(c.pending))
	}
	return nil
}

type recoveredLog struct {
	*logIndex
	path string
}

// readLogs indexes every session log, cutting torn tails; events stay on
// disk, so recovery's memory does not grow with the logs' size. A log
// without its open record was cut before its creation was durable; no batch in it was
// acknowledged, so it is removed.
func (c *Collector) readLogs() ([]recoveredLog, error) {
	names, err := filepath.Glob(filepath.Join(c.openDir, "*.log"))
	if err != nil {
		return nil, fmt.Errorf("list session logs: %w", err)
	}
	// Logs are indexed in parallel: after a crash under load there can be
	// thousands, and each is read in full.
	type indexed struct {
		lg  *logIndex
		err error
	}
	results := make([]indexed, len(names))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0)*2, len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				lg, err := indexLog(names[i], true)
				results[i] = indexed{lg, err}
			}
		}()
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []recoveredLog
	for i, path := range names {
		lg, err := results[i].lg, results[i].err
		if errors.Is(err, errNoOpenRecord) {
			c.cfg.Logger.Warn("removing session log with no complete first record", "path", path)
			if err := os.Remove(path); err != nil {
				return nil, fmt.Errorf("remove empty session log: %w", err)
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("recover %s: %w", path, err)
		}
		if lg.Cut > 0 {
			c.cfg.Logger.Warn("cut torn tail of session log (an unacknowledged write)", "path", path, "bytes", lg.Cut)
		}
		if filepath.Base(path) != partName(lg.Open.Session, lg.Open.Part)+".log" || !validID(lg.Open.Session) {
			return nil, fmt.Errorf("recover %s: log names session %q part %d", path, lg.Open.Session, lg.Open.Part)
		}
		out = append(out, recoveredLog{lg, path})
	}
	return out, nil
}

// restore puts one recovered log back: stored parts are removed, parts
// being sealed (or superseded by a later part) queue for upload, and the
// latest unsealed part of a session is open again.
func (c *Collector) restore(l recoveredLog, stored map[string]bool, latest map[string]int, now time.Time) error {
	o := l.Open
	ss := c.seenFor(o.Session)
	for _, b := range l.Batches {
		ss.seqs[b.seq] = seqMark{ack: durable, sum: b.sum}
	}
	ss.bytes += l.Size
	ss.truncated = ss.truncated || l.Truncated
	ss.nextPart = max(ss.nextPart, o.Part+1)
	ss.touched = now
	if stored[partName(o.Session, o.Part)] {
		c.removeLeftovers(&sealJob{logPath: l.path})
		return nil
	}
	if l.Seal != nil {
		c.pending[l.path] = &sealJob{
			session: o.Session, part: o.Part, logPath: l.path,
			key: l.Seal.Key, sealedAt: time.Unix(0, l.Seal.SealedAt),
		}
		return nil
	}
	lg := reopenLog(l.path, l.Size, l.Frames, c.handles, c.flusher)
	s := &session{rec: o, path: l.path, log: lg, ready: make(chan struct{}), created: time.UnixMilli(o.Created)}
	close(s.ready)
	s.lastActivity = s.created
	if len(l.Batches) > 0 {
		s.lastActivity = time.UnixMilli(l.LastReceived)
	}
	if latest[o.Session] != o.Part {
		// An older part that never got its seal record: seal it now; the
		// uploader builds its archive.
		job, err := c.startSeal(s)
		if job != nil {
			c.queue(job)
		}
		return err
	}
	c.addOpen(s)
	return nil
}

// removeOrphanManifests deletes asset manifests whose session log is gone
// (a crash between removing a stored part's files).
func (c *Collector) removeOrphanManifests() {
	names, _ := filepath.Glob(filepath.Join(c.sealingDir, "*.assets.json"))
	for _, p := range names {
		log := filepath.Join(c.openDir, strings.TrimSuffix(filepath.Base(p), ".assets.json")+".log")
		if _, err := os.Stat(log); errors.Is(err, os.ErrNotExist) {
			if err := os.Remove(p); err != nil {
				c.cfg.Logger.Warn("remove orphan asset manifest", "path", p, "err", err)
			}
		}
	}
}

func partName(session string, part int) string { return session + "." + strconv.Itoa(part) }

func clearDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, e := range ents {
		if e.Type().IsRegular() && (strings.HasSuffix(e.Name(), ".loupe") || strings.HasSuffix(e.Name(), ".tmp")) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("clear %s: %w", dir, err)
			}
		}
	}
	return nil
}
