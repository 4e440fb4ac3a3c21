package cli

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
)

// lockedBuffer is an io.Writer a running command writes to while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// `loupe demo` makes real sessions whose pictures, font and stylesheets,
// fetched from the shop and its CDN origin by the embedded collector, are
// all stored in the demo workspace.
func TestDemoSessionsCarryTheirAssets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole demo")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- runDemo(ctx, []string{"--data", dir, "--no-window", "--variants", "1",
			"--addr", "127.0.0.1:0", "--shop", "127.0.0.1:0", "--cdn", "127.0.0.1:0"}, &out, io.Discard)
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), "Loupe workbench:") {
		select {
		case err := <-done:
			t.Fatalf("demo stopped before serving: %v\n%s", err, out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo not serving after 2 minutes:\n%s", out.String())
		}
	}
	cancel()
	if err := <-done; err != nil && ctx.Err() == nil {
		t.Fatalf("demo: %v", err)
	}

	db, err := workspace.Open(context.Background(), filepath.Join(dir, "workspace.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sessions, err := db.Sessions(context.Background(), workspace.SessionQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 10 {
		t.Fatalf("demo made %d sessions, want one per recording (10)", len(sessions))
	}
	for _, s := range sessions {
		c, err := db.AssetCompleteness(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Every recording shows the CDN stylesheet and at least one photo.
		if c.Total < 2 || c.Stored != c.Total {
			t.Errorf("session %s (%v): %s", s.ID, s.Pages, c.Summary)
		}
	}
	totals, err := db.AssetTotals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// 8 products × 2 widths, the hero, the linen background, the font
	// and the CDN stylesheet.
	if totals.Count != 20 || totals.Bytes < 1<<20 {
		t.Errorf("workspace holds %d assets, %d bytes; want the shop's 20 files, over 1 MiB", totals.Count, totals.Bytes)
	}
}
