package desktop

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// noRedirect is a client that shows redirects instead of following them.
func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestServerAPINeedsTheLaunchKey(t *testing.T) {
	ts, srv := newKeyedServer(t)
	name := cookieName(ts.Listener.Addr().String())
	tests := []struct {
		name   string
		cookie *http.Cookie
		status int
	}{
		{"no cookie", nil, http.StatusUnauthorized},
		{"wrong key", &http.Cookie{Name: name, Value: "not-the-key"}, http.StatusUnauthorized},
		{"empty key", &http.Cookie{Name: name, Value: ""}, http.StatusUnauthorized},
		{"key of another port", &http.Cookie{Name: "loupe_key_1", Value: srv.Key()}, http.StatusUnauthorized},
		{"right cookie", &http.Cookie{Name: name, Value: srv.Key()}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/Player/Load", strings.NewReader(`["scroll"]`))
			req.Header.Set("Content-Type", "application/json")
			if tt.cookie != nil {
				req.AddCookie(tt.cookie)
			}
			res, err := noRedirect().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d (%s)", res.StatusCode, tt.status, body)
			}
			if tt.status != http.StatusUnauthorized {
				if !strings.Contains(string(body), `"events"`) {
					t.Errorf("body %.200s is not a replay", body)
				}
				return
			}
			var e Error
			if err := json.Unmarshal(body, &e); err != nil || e.Code != CodeUnauthorized || e.Message == "" {
				t.Errorf("body %q: want {code:%q, message}", body, CodeUnauthorized)
			}
			if strings.Contains(string(body), srv.Key()) {
				t.Error("a refusal tells the key")
			}
		})
	}
}

func TestServerKeyInAddressBecomesACookie(t *testing.T) {
	ts, srv := newKeyedServer(t)
	res, err := noRedirect().Get(ts.URL + "/?" + keyParam + "=" + url.QueryEscape(srv.Key()) + "&x=1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status = %d, want 303", res.StatusCode)
	}
	if loc := res.Header.Get("Location"); loc != "/?x=1" {
		t.Errorf("Location = %q, want the address without the key", loc)
	}
	raw := res.Header.Get("Set-Cookie")
	for _, want := range []string{cookieName(ts.Listener.Addr().String()) + "=" + srv.Key(), "HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(raw, want) {
			t.Errorf("Set-Cookie %q lacks %q", raw, want)
		}
	}

	res, err = noRedirect().Get(ts.URL + "/?" + keyParam + "=wrong")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized || res.Header.Get("Set-Cookie") != "" {
		t.Errorf("wrong key: status %d, cookie %q; want 401 and no cookie", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
}

func TestServerBundleIsPublicEverythingElseIsNot(t *testing.T) {
	ts, _ := newKeyedServer(t)
	for path, want := range map[string]int{
		"/":                       http.StatusOK,
		"/index.html":             http.StatusMovedPermanently, // the file server's own redirect to /
		"/asset/0123456789abcdef": http.StatusUnauthorized,
		"/no-such-file.js":        http.StatusUnauthorized,
		"/api/Sessions/List":      http.StatusUnauthorized,
	} {
		res, err := noRedirect().Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s without the key = %d, want %d", path, res.StatusCode, want)
		}
	}
}

func TestServersHaveDifferentKeys(t *testing.T) {
	_, a := newKeyedServer(t)
	_, b := newKeyedServer(t)
	if a.Key() == b.Key() || len(a.Key()) < 40 {
		t.Errorf("keys %q and %q: want two distinct 256-bit secrets", a.Key(), b.Key())
	}
}
