package s3

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry is how often and how patiently a Store retries transient failures
// (network errors, 5xx, throttling). Waits grow exponentially from Base to
// Max with full jitter, so collectors that lost the store together do not
// come back in lockstep.
type Retry struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// DefaultRetry rides out a server restart or a short network blip (about
// 10 s in total) without holding a caller for long; the collector's own
// upload queue retries beyond that.
var DefaultRetry = Retry{Attempts: 6, Base: 200 * time.Millisecond, Max: 4 * time.Second}

// do runs op until it succeeds, fails for good, runs out of attempts or ctx
// ends. op returns an already classified error.
func (r Retry) do(ctx context.Context, op func() (err error, transient bool)) error {
	attempts := max(r.Attempts, 1)
	var err error
	for i := 0; i < attempts; i++ {
		var transient bool
		err, transient = op()
		if err == nil || !transient {
			return err
		}
		if i == attempts-1 {
			break
		}
		wait := r.Base << i
		if wait > r.Max || wait <= 0 {
			wait = r.Max
		}
		wait = time.Duration(rand.Int64N(int64(wait)) + 1)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return err
}
