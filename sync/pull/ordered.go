package pull

import "context"

// inOrder runs work(i) for i in [0, n) on a few workers and hands the
// results to one consumer in index order: result i arrives on channel i.
// At most 2×workers results are held ahead of the consumer, which calls
// taken after receiving each, so a slow writer bounds memory. Work stops
// being handed out once ctx ends.
func inOrder[T any](ctx context.Context, n, workers int, work func(i int) T) (results []chan T, taken func()) {
	results = make([]chan T, n)
	for i := range results {
		results[i] = make(chan T, 1)
	}
	slots := make(chan struct{}, 2*workers)
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
				results[i] <- work(i)
			}
		}()
	}
	return results, func() { <-slots }
}
