package collector

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// admitSession checks, before a new session part opens, that its site and
// its client address are under their caps of open parts, so that a flood
// of new session ids from one address, or for one site, cannot take the
// room every other visitor needs. The caller holds c.mu.
func (c *Collector) admitSession(site, addr string) error {
	if n := c.openBy["site\x00"+site]; n >= c.cfg.MaxOpenSessionsPerSite {
		return fmt.Errorf("%w: site %q has %d open sessions", ErrTooManySessions, site, n)
	}
	if addr != "" && c.cfg.MaxOpenSessionsPerAddr > 0 {
		if n := c.openBy["addr\x00"+addr]; n >= c.cfg.MaxOpenSessionsPerAddr {
			return fmt.Errorf("%w: %d from this client address", ErrTooManySessions, n)
		}
	}
	return nil
}

// addOpen and removeOpen keep c.open and the per-site and per-address
// counts together. The caller holds c.mu.
func (c *Collector) addOpen(s *session) {
	c.open[s.rec.Session] = s
	c.openBy["site\x00"+s.rec.Site]++
	if s.addr != "" {
		c.openBy["addr\x00"+s.addr]++
	}
}

func (c *Collector) removeOpen(s *session) {
	delete(c.open, s.rec.Session)
	for _, k := range []string{"site\x00" + s.rec.Site, "addr\x00" + s.addr} {
		if k == "addr\x00" {
			continue
		}
		if c.openBy[k]--; c.openBy[k] <= 0 {
			delete(c.openBy, k)
		}
	}
}

// batchCost is what a batch counts against its session's size cap: the
// bytes of its events plus a little for the record around them.
func batchCost(b *Batch) int64 {
	n := int64(64)
	for _, ev := range b.Events {
		n += int64(len(ev)) + 1
	}
	return n
}

// markTruncated writes the truncation mark into s's log once, so that the
// sealed archive says the session was cut. It runs with s.inflight held,
// so the part cannot seal in between.
func (c *Collector) markTruncated(s *session) {
	defer s.inflight.Done()
	<-s.ready
	if s.createErr != nil {
		return
	}
	n, err := s.log.append(kindTruncated, json.RawMessage(`{}`))
	if err == nil {
		err = s.log.commit(n)
	}
	if err != nil {
		c.errLog.log(c.cfg.Logger, slog.LevelWarn, "truncation mark not written", "session", s.rec.Session, "err", err)
	}
}
