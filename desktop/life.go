package desktop

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned when work is started after the app began to shut
// down.
var ErrClosed = errors.New("the workbench is shutting down")

// Life is how long the workbench app runs: the window from start-up to
// close, browser mode until the server stops. Its context ends when the
// app shuts down, so calls still running stop; work that outlives a call
// (a sync, the alert watch) runs under Go, and Close waits for it, so the
// workspace is never closed under a running job.
type Life struct {
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex // guards closed against a Go racing Close
	closed bool
	jobs   sync.WaitGroup
}

// NewLife starts a lifetime that ends when parent does or at Close.
func NewLife(parent context.Context) *Life {
	ctx, cancel := context.WithCancel(parent)
	return &Life{ctx: ctx, cancel: cancel}
}

// Context ends when the app shuts down.
func (l *Life) Context() context.Context { return l.ctx }

// Go runs work in the background under the app's context; Close waits for
// it. After Close has begun it runs nothing and returns ErrClosed.
func (l *Life) Go(work func(ctx context.Context)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	l.jobs.Add(1)
	go func() {
		defer l.jobs.Done()
		work(l.ctx)
	}()
	return nil
}

// Close cancels the app's context and waits for the background work to
// return. The workspace may be closed once it has. Closing twice is safe.
func (l *Life) Close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cancel()
	l.jobs.Wait()
}

func init() {
	registerCodes(func(err error) string {
		if errors.Is(err, ErrClosed) {
			return CodeCanceled
		}
		return ""
	})
}

// unbounded is the lifetime of bindings made one at a time (NewSessions
// and the like, in tests and tools) rather than by BindingsWith: it lasts
// as long as the process.
var unbounded = NewLife(context.Background())

// scope is what a binding's calls run under; every binding embeds it, so
// a method reads its context as b.ctx. In the window ctx is the app's
// context; browser mode runs each call on a copy of the binding whose ctx
// is the request's (see during, in dispatch.go), so an abandoned request
// stops its query. life is the app's lifetime, for work that outlives the
// call.
type scope struct {
	ctx  context.Context
	life *Life
}

func unscoped() scope { return scope{ctx: unbounded.Context(), life: unbounded} }

// live binds a binding to the app's lifetime.
func (s *scope) live(l *Life) { s.ctx, s.life = l.Context(), l }

// during sets the context of one call.
func (s *scope) during(ctx context.Context) { s.ctx = ctx }

// scoped is implemented by every binding through its embedded scope.
type scoped interface {
	live(*Life)
	during(context.Context)
}
