package collector

import (
	"container/list"
	"sync"
)

// handlePool bounds the files the open session logs hold: past the limit
// the least recently used idle log is closed (after an fsync of what it
// wrote) and opens again on its next append. A flood of new session ids
// therefore costs memory, which the open-session caps bound, never the
// process's file descriptors, which every other request needs too.
type handlePool struct {
	limit int
	mu    sync.Mutex
	lru   *list.List // of *logFile, most recently used at the front
}

func newHandlePool(limit int) *handlePool {
	return &handlePool{limit: limit, lru: list.New()}
}

// opened records that l (whose mu the caller holds) now has a file, and
// closes idle ones past the limit.
func (p *handlePool) opened(l *logFile) {
	p.mu.Lock()
	l.elem = p.lru.PushFront(l)
	var victims []*logFile
	for e := p.lru.Back(); e != nil && p.lru.Len()-len(victims) > p.limit; e = e.Prev() {
		if v := e.Value.(*logFile); v != l {
			victims = append(victims, v)
		}
	}
	p.mu.Unlock()
	for _, v := range victims {
		v.closeIdle()
	}
}

// used moves l to the front.
func (p *handlePool) used(l *logFile) {
	p.mu.Lock()
	if l.elem != nil {
		p.lru.MoveToFront(l.elem)
	}
	p.mu.Unlock()
}

// forget drops l from the pool (its file was closed).
func (p *handlePool) forget(l *logFile) {
	p.mu.Lock()
	if l.elem != nil {
		p.lru.Remove(l.elem)
		l.elem = nil
	}
	p.mu.Unlock()
}

// open is the number of log files open now.
func (p *handlePool) open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lru.Len()
}
