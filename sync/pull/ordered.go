package pull

import (
	"context"
	"sync"
)

// window bounds what inOrder's workers hold ahead of its consumer: at
// most items results, and at most bytes of their weight (a single result
// heavier than that is let through alone, so every item can pass).
type window struct {
	items  int
	bytes  int64
	weight func(i int) int64 // nil: items alone bound the window
}

// inOrder runs work(i) for i in [0, n) on a few workers and hands the
// results to one consumer in index order: result i arrives on result(i).
// The consumer calls taken after receiving each, which frees its place in
// the window, so a slow writer bounds memory. Work stops being handed out
// once ctx ends.
//
// The window is wide (many small results) so the workers keep working
// while the writer commits, which takes as long as writing dozens of
// sessions; the weight keeps a few large results from filling memory.
//
// The results travel through a ring of w.items channels, not one per
// item: work i+w.items starts only after result i was taken, so they
// never share a channel at once, and memory does not grow with n.
func inOrder[T any](ctx context.Context, n, workers int, w window, work func(i int) T) (result func(i int) <-chan T, taken func()) {
	w.items = max(w.items, 1)
	ring := make([]chan T, w.items)
	for i := range ring {
		ring[i] = make(chan T, 1)
	}
	sizes := make([]int64, w.items) // the weight of each result held, by ring place
	var (
		mu       sync.Mutex
		room     = sync.NewCond(&mu)
		held     int   // results handed out and not yet taken
		heldSize int64 // their weight
		next     int   // the next result to be taken
	)
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		room.Broadcast()
		mu.Unlock()
	})
	jobs := make(chan int)
	go func() {
		defer stop()
		defer close(jobs)
		for i := 0; i < n; i++ {
			var size int64
			if w.weight != nil {
				size = max(w.weight(i), 0)
			}
			mu.Lock()
			for ctx.Err() == nil && (held >= w.items || (held > 0 && heldSize+size > w.bytes)) {
				room.Wait()
			}
			if ctx.Err() != nil {
				mu.Unlock()
				return
			}
			held++
			heldSize += size
			sizes[i%len(sizes)] = size
			mu.Unlock()
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range jobs {
				ring[i%len(ring)] <- work(i)
			}
		}()
	}
	return func(i int) <-chan T { return ring[i%len(ring)] }, func() {
		mu.Lock()
		size := sizes[next%len(sizes)]
		next++
		held--
		heldSize -= size
		room.Signal()
		mu.Unlock()
	}
}
