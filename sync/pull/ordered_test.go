package pull

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestInOrderWindow: results arrive in order, and the workers never hold
// more results, or more weight, than the window allows; one result
// heavier than the whole window still passes, alone.
func TestInOrderWindow(t *testing.T) {
	const n = 400
	weights := make([]int64, n)
	for i := range weights {
		weights[i] = int64(1 + i%7)
	}
	weights[137] = 1000 // heavier than the window
	w := window{items: 12, bytes: 20, weight: func(i int) int64 { return weights[i] }}
	var held, heldWeight, worst, worstWeight atomic.Int64
	var heavyWithOthers atomic.Bool
	result, taken := inOrder(context.Background(), n, 4, w, func(i int) int {
		h, hw := held.Add(1), heldWeight.Add(weights[i])
		for _, p := range []struct {
			v   int64
			max *atomic.Int64
		}{{h, &worst}, {hw, &worstWeight}} {
			for m := p.max.Load(); p.v > m && !p.max.CompareAndSwap(m, p.v); m = p.max.Load() {
			}
		}
		if i == 137 && h > 1 {
			heavyWithOthers.Store(true)
		}
		time.Sleep(time.Duration(i%3) * 50 * time.Microsecond)
		return i
	})
	for i := 0; i < n; i++ {
		if got := <-result(i); got != i {
			t.Fatalf("result %d arrived as %d", i, got)
		}
		held.Add(-1)
		heldWeight.Add(-weights[i])
		taken()
	}
	if worst.Load() > int64(w.items) {
		t.Errorf("%d results held at once, window %d", worst.Load(), w.items)
	}
	if heavyWithOthers.Load() {
		t.Error("the result heavier than the window was held with others")
	}
	// Apart from the heavy one, weight stays within the window.
	if worstWeight.Load() > w.bytes && worstWeight.Load() != weights[137] {
		t.Errorf("weight %d held at once, window %d", worstWeight.Load(), w.bytes)
	}
}

// TestInOrderStopsOnCancel: once ctx ends no more work is handed out,
// even by a producer waiting for room in the window.
func TestInOrderStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int64
	result, _ := inOrder(ctx, 1000, 2, window{items: 4}, func(i int) int { started.Add(1); return i })
	<-result(0) // never taken: the window fills
	cancel()
	time.Sleep(20 * time.Millisecond)
	if s := started.Load(); s > 4 {
		t.Fatalf("%d items started with a window of 4 and nothing taken", s)
	}
}
