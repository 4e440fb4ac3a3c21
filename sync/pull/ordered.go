package pull

import "context"

// inOrder runs work(i) for i in [0, n) on a few workers and hands the
// results to one consumer in index order: result i arrives on result(i).
// At most 2×workers results are held ahead of the consumer, which calls
// taken after receiving each, so a slow writer bounds memory. Work stops
// being handed out once ctx ends.
//
// The results travel through a ring of 2×workers channels, not one per
// item: work i+2×workers starts only after result i was taken, so they
// never share a channel at once, and memory does not grow with n.
func inOrder[T any](ctx context.Context, n, workers int, work func(i int) T) (result func(i int) <-chan T, taken func()) {
	ring := make([]chan T, 2*workers)
	for i := range ring {
		ring[i] = make(chan T, 1)
	}
	slots := make(chan struct{}, len(ring))
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := 0; i < n; i++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			for i := range jobs {
				ring[i%len(ring)] <- work(i)
			}
		}()
	}
	return func(i int) <-chan T { return ring[i%len(ring)] }, func() { <-slots }
}
