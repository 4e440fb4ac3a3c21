package collector

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// logLimiter lets one log line of a kind through per interval and counts
// the rest, so that a fault hit by every request (a full disk, a flood)
// writes a line every few seconds instead of one per request. It is a few
// lines of its own rather than a rate-limiting library because it must
// also report how many lines it held back.
type logLimiter struct {
	every time.Duration
	mu    sync.Mutex
	kinds map[string]*limitedKind
}

type limitedKind struct {
	last       time.Time
	suppressed int
}

func newLogLimiter(every time.Duration) *logLimiter {
	return &logLimiter{every: every, kinds: map[string]*limitedKind{}}
}

// log writes msg at level unless a line of the same msg went out less
// than the interval ago; the line that goes out says how many were held.
func (l *logLimiter) log(logger *slog.Logger, level slog.Level, msg string, args ...any) {
	now := time.Now()
	l.mu.Lock()
	k := l.kinds[msg]
	if k == nil {
		k = &limitedKind{}
		l.kinds[msg] = k
	}
	if !k.last.IsZero() && now.Sub(k.last) < l.every {
		k.suppressed++
		l.mu.Unlock()
		return
	}
	held := k.suppressed
	k.last, k.suppressed = now, 0
	l.mu.Unlock()
	if held > 0 {
		args = append(args, "similar_lines_held_back", held)
	}
	logger.Log(context.Background(), level, msg, args...)
}
