package desktop

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// newTestServer starts browser mode on a fixture workspace and returns it
// with a client that has opened the printed address, so it holds the
// launch cookie the way a browser does.
func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	ts, _ := newKeyedServer(t)
	return ts
}

func newKeyedServer(t *testing.T) (*httptest.Server, *Server) {
	t.Helper()
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Loupe</title>")}}
	srv, err := NewServer(ui, Bindings(newWorkspace(t))...)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	ts.Client().Jar = jar
	res, err := ts.Client().Get(srv.URL(ts.Listener.Addr().String()))
	if err != nil {
		t.Fatalf("open the printed address: %v", err)
	}
	res.Body.Close()
	return ts, srv
}

func post(t *testing.T, ts *httptest.Server, path, contentType, body string) (int, []byte) {
	t.Helper()
	res, err := ts.Client().Post(ts.URL+path, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func TestServerErrors(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, path, ctype, body string
		status                  int
		code                    string
	}{
		{"unknown struct", "/api/Nope/List", "application/json", "[]", 404, CodeNotFound},
		{"unknown method", "/api/Sessions/Drop", "application/json", "[]", 404, CodeNotFound},
		{"unexported method", "/api/Sessions/workspaceQuery", "application/json", "[]", 404, CodeNotFound},
		{"no method", "/api/Sessions", "application/json", "[]", 404, CodeNotFound},
		{"args not an array", "/api/Sessions/Get", "application/json", `{"id":"x"}`, 400, CodeInvalid},
		{"args malformed", "/api/Sessions/Get", "application/json", `["x"`, 400, CodeInvalid},
		{"wrong arg type", "/api/Sessions/Get", "application/json", `[42]`, 400, CodeInvalid},
		{"too many args", "/api/Sessions/Get", "application/json", `["a","b"]`, 400, CodeInvalid},
		{"form post", "/api/Sessions/Get", "application/x-www-form-urlencoded", `a=b`, 415, CodeInvalid},
		{"missing session", "/api/Sessions/Get", "application/json", `["no-such-session"]`, 404, CodeNotFound},
		{"empty id", "/api/Player/Load", "application/json", `[""]`, 400, CodeInvalid},
		{"bad sort", "/api/Sessions/List", "application/json", `[{"sort":"password"}]`, 400, CodeInvalid},
		{"bad segment", "/api/Sessions/List", "application/json", `[{"segment":"device = = ("}]`, 400, CodeInvalid},
		{"empty note", "/api/Notes/Add", "application/json", `["scroll", 100, "  ", false]`, 400, CodeInvalid},
		{"note on missing session", "/api/Notes/Add", "application/json", `["nope", 100, "hi", false]`, 404, CodeNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, ts, tt.path, tt.ctype, tt.body)
			if status != tt.status {
				t.Errorf("status = %d, want %d (body %s)", status, tt.status, body)
			}
			var e Error
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body %q is not {code,message}: %v", body, err)
			}
			if e.Code != tt.code || e.Message == "" {
				t.Errorf("error = %+v, want code %q and a message", e, tt.code)
			}
		})
	}
}

func TestServerGetOnAPIIsRejected(t *testing.T) {
	ts := newTestServer(t)
	res, err := ts.Client().Get(ts.URL + "/api/Sessions/List")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET status = %d, want 405", res.StatusCode)
	}
}

func TestServerServesUIWithPolicy(t *testing.T) {
	ts := newTestServer(t)
	res, err := ts.Client().Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "<title>Loupe</title>") {
		t.Fatalf("GET / = %d %q, want the workbench index", res.StatusCode, body)
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "connect-src 'self'", "script-src 'self'", "frame-src 'self' about: blob:"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
}

func TestServerRefusesForeignHost(t *testing.T) {
	ts := newTestServer(t)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/Sessions/List", strings.NewReader("[]"))
	req.Header.Set("Content-Type", "application/json")
	req.Host = "attacker.example:8790" // DNS rebinding: a foreign name pointing here
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("status = %d, want 403 for a foreign Host", res.StatusCode)
	}
}

func TestServerDispatchesList(t *testing.T) {
	ts := newTestServer(t)
	status, body := post(t, ts, "/api/Sessions/List", "application/json", `[{"sort":"started_at","limit":2}]`)
	if status != 200 {
		t.Fatalf("status = %d (%s), want 200", status, body)
	}
	var page SessionPage
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if page.Total != len(fixtures) || len(page.Sessions) != 2 {
		t.Errorf("total %d with %d rows, want %d with 2", page.Total, len(page.Sessions), len(fixtures))
	}
	// Missing trailing arguments are zero values, as in the window.
	status, body = post(t, ts, "/api/Sessions/List", "application/json", `[]`)
	if status != 200 || !strings.Contains(string(body), `"total":3`) {
		t.Errorf("List() = %d %s, want 200 with total 3", status, body)
	}
}

func TestDispatcherRejectsNonStructs(t *testing.T) {
	if _, err := newDispatcher([]any{42}); err == nil {
		t.Error("binding an int: got no error")
	}
	if _, err := newDispatcher([]any{&Notes{}, &Notes{}}); err == nil {
		t.Error("binding a struct twice: got no error")
	}
}

func TestMethodsListEveryBinding(t *testing.T) {
	d, err := newDispatcher(Bindings(nil))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(d.methods(), " ")
	for _, want := range []string{"Sessions.List", "Sessions.Facets", "Sessions.Get", "Player.Load", "Notes.Add", "Notes.List", "Notes.Delete",
		"Alerts.Save", "Alerts.Check", "Alerts.Notices", "Alerts.MarkSeen", "Ask.Read", "Reports.Build", "Reports.SaveToDownloads"} {
		if !strings.Contains(got, want) {
			t.Errorf("methods %q lack %s", got, want)
		}
	}
}
