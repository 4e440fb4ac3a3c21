package workspace

import (
	"runtime"
	"sync"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// BulkItem is one session archive for Batch.AddAll.
type BulkItem struct {
	Header archive.Header
	Events []rrweb.Event
	// Facts may be nil: AddAll then derives them.
	Facts           *core.Facts
	ArchiveKey, SHA string
}

// prepared is an item's Prepare, done off the writing goroutine.
type prepared struct {
	p    Prepared
	err  error
	done chan struct{}
}

// AddAll imports items in order as Add would, deriving facts and
// compressing replays on workers goroutines (0: one per CPU) while the
// calling goroutine alone writes: SQLite keeps one writer, the stored
// order is the items' order, and a later part of a session merges into
// the earlier one as with Add. report, when not nil, gets each item's
// result or error in order; an error it returns stops the import. Without
// report, the first failed item stops it.
func (b *Batch) AddAll(items []BulkItem, workers int, report func(i int, res ImportResult, err error) error) error {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	// window bounds how far the workers run ahead of the writer, and so
	// the memory held in prepared results.
	window := 4 * workers
	slots := make([]prepared, len(items))
	for i := range slots {
		slots[i].done = make(chan struct{})
	}
	next := make(chan int)
	ahead := make(chan struct{}, window)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				b.prepare(items[i], &slots[i])
				close(slots[i].done)
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range items {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		wg.Wait()
	}()
	for i, it := range items {
		<-slots[i].done
		p := &slots[i]
		var (
			res ImportResult
			err = p.err
		)
		if err == nil {
			res, err = b.addItem(incoming{hdr: it.Header, events: it.Events, facts: p.p.Facts, count: len(it.Events), chunks: p.p.chunks}, it.ArchiveKey, it.SHA)
		}
		p.p = Prepared{}
		<-ahead
		if report != nil {
			if rerr := report(i, res, err); rerr != nil {
				return rerr
			}
		} else if err != nil {
			return err
		}
	}
	return nil
}

// prepare derives and compresses one item; it touches nothing shared but
// the read-only definitions. A nameless item is left to addItem, which
// reports it the way Add does.
func (b *Batch) prepare(it BulkItem, p *prepared) {
	if it.Header.Session == "" {
		return
	}
	p.p, p.err = Prepare(it.Header, it.Events, it.Facts, b.defs)
}
