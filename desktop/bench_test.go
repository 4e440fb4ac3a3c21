package desktop

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkServerSessionsList times one window of the sessions list over
// HTTP (dispatch, query, JSON) on 2,000 generated sessions.
func BenchmarkServerSessionsList(b *testing.B) {
	db := generatedWorkspaceB(b, 2000)
	srv, err := NewServer(fstest.MapFS{"index.html": {Data: []byte("x")}}, Bindings(db)...)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []struct{ name, args string }{
		{"first-200", `[{"limit":200}]`},
		{"offset-1000", `[{"limit":200,"offset":1000}]`},
		{"mobile", `[{"limit":200,"device":"mobile"}]`},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/api/Sessions/List", strings.NewReader(q.args))
				req.Header.Set("Content-Type", "application/json")
				req.Host = "127.0.0.1:8790"
				req.AddCookie(&http.Cookie{Name: cookieName(req.Host), Value: srv.Key()})
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
