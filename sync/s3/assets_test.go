package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/archive/archivetest"
)

// countingTransport counts ListObjects requests.
type countingTransport struct {
	lists atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && strings.Contains(r.URL.RawQuery, "list-type=2") {
		c.lists.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestListJumpsOverAssets puts more assets than three listing pages hold
// between two archives and checks List finds both archives with two
// listing requests: it restarts past the assets folder instead of paging
// through it.
func TestListJumpsOverAssets(t *testing.T) {
	srv := minioServer(t)
	url := srv.StoreURL(newBucket(t, srv), "site")
	s := openStore(t, url, rootConfig)
	blob := archivetest.NewBlob(t, "s_jump00001", 1)
	for _, k := range []string{"a/s_1.loupe", "b/s_2.loupe"} {
		if err := s.Put(context.Background(), k, bytes.NewReader(blob.Data), int64(len(blob.Data)), blob.SHA256); err != nil {
			t.Fatal(err)
		}
	}
	const n = 2100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b := []byte(fmt.Sprintf("asset %d", i))
			errs <- s.PutAsset(context.Background(), archive.SumAsset(b), bytes.NewReader(b), int64(len(b)))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ct := &countingTransport{}
	cfg := rootConfig
	cfg.Transport = ct
	counted := openStore(t, url, cfg)
	ct.lists.Store(0)
	entries, err := counted.List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(keysOf(entries)); got != "[a/s_1.loupe b/s_2.loupe]" {
		t.Fatalf("List = %s, want the two archives", got)
	}
	if lists := ct.lists.Load(); lists > 2 {
		t.Errorf("List made %d listing requests over %d assets, want 2 (paging through them takes 3)", lists, n)
	}
}

func keysOf(entries []archive.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Key)
	}
	return out
}
