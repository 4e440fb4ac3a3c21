package collector

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchSite serves a page's worth of assets: 20 images of 20 KiB, a
// stylesheet with a background and a web font (40 KiB).
func benchSite(b *testing.B) *httptest.Server {
	rng := rand.New(rand.NewSource(1))
	imgs := map[string][]byte{}
	for i := 0; i < 20; i++ {
		body := make([]byte, 20<<10)
		rng.Read(body)
		imgs[fmt.Sprintf("/img/%d.png", i)] = append(append([]byte{}, pngBytes...), body...)
	}
	font := append([]byte("wOF2"), make([]byte, 40<<10)...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case imgs[r.URL.Path] != nil:
			w.Header().Set("Content-Type", "image/png")
			w.Write(imgs[r.URL.Path])
		case r.URL.Path == "/site.css":
			w.Header().Set("Content-Type", "text/css")
			io.WriteString(w, `@font-face{font-family:F;src:url(/f.woff2)} body{background:url(/img/0.png)}`)
		case r.URL.Path == "/f.woff2":
			w.Header().Set("Content-Type", "font/woff2")
			w.Write(font)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// benchSession is a page load that shows the site's 20 images (or none)
// followed by 500 pointer moves.
func benchSession(srv *httptest.Server, session string, withAssets bool) Batch {
	var imgs []string
	css := ""
	if withAssets {
		for i := 0; i < 20; i++ {
			imgs = append(imgs, fmt.Sprintf("/img/%d.png", i))
		}
		css = srv.URL + "/site.css"
	}
	b := sessionBatch("demo", session, srv.URL+"/", css, imgs...)
	b.Seq = 0
	for i := 0; i < 500; i++ {
		b.Events = append(b.Events, json.RawMessage(fmt.Sprintf(`{"type":3,"data":{"source":1,"positions":[{"x":%d,"y":%d,"id":3,"timeOffset":0}]},"timestamp":%d}`, i%1280, i%800, 1764195600100+int64(i)*50)))
	}
	return b
}

// BenchmarkSealWithAssets seals one session per iteration: without asset
// URLs, with assets fetched at seal time (a new collector each time, so
// nothing is cached), and with assets already kept from an earlier session
// (the common case: the same site's pages share their assets).
func BenchmarkSealWithAssets(b *testing.B) {
	srv := benchSite(b)
	for _, bc := range []struct {
		name       string
		withAssets bool
		freshEach  bool
	}{
		{"no-assets", false, false},
		{"assets-fetched-at-seal", true, true},
		{"assets-already-kept", true, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var tc *testCollector
			start := func() {
				tc = startCollector(b, b.TempDir(), newMemStore(), func(c *Config) { c.Assets.Workers = 4 })
			}
			start()
			if !bc.freshEach && bc.withAssets {
				warm := benchSession(srv, "s_benchwarm", true)
				tc.ingest(context.Background(), &warm, requestContext{})
				tc.sealDue(context.Background(), true)
			}
			var sealed, archiveBytes int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if bc.freshEach && i > 0 {
					tc.Close(context.Background())
					start()
				}
				s := benchSession(srv, fmt.Sprintf("s_bench%05d", i), bc.withAssets)
				// Direct ingest: the prefetcher still sees the batch, but
				// the seal follows at once, as for a session sealed at
				// shutdown.
				if _, err := tc.ingest(context.Background(), &s, requestContext{}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				tc.sealDue(context.Background(), true)
				b.StopTimer()
				st := tc.Status()
				sealed, archiveBytes = st.SealedArchives, st.SealedBytes
				b.StartTimer()
			}
			b.StopTimer()
			st := tc.Status()
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/seal")
			if sealed > 0 {
				b.ReportMetric(float64(archiveBytes)/float64(sealed), "archive-B/session")
			}
			if bc.withAssets {
				// With a new collector per session this is one session's
				// assets; with a warm one it includes the warm-up session,
				// so the same figure means the measured ones added nothing.
				b.ReportMetric(float64(st.AssetBytes), "asset-B-uploaded")
				if st.AssetsDeduped > 0 {
					b.ReportMetric(float64(st.AssetsDeduped), "assets-deduped")
				}
			}
			tc.Close(context.Background())
		})
	}
}
