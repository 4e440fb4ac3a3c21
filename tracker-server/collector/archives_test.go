package collector

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t testing.TB, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func TestArchiveAPINeedsToken(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	tc.mustIngest(t, newBatch("s_apitoken1", 0, 2, "/"))
	if err := tc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	key := tc.store.keys()[0]
	for _, path := range []string{"/v1/archives", "/v1/archives?after=", "/v1/archives/" + key} {
		for _, tok := range []string{"", "wrong-token-0123456789", tc.Token() + "x"} {
			code, body := get(t, tc.srv.URL+path, tok)
			var e struct{ Error string }
			json.Unmarshal(body, &e)
			if code != http.StatusUnauthorized || e.Error == "" {
				t.Errorf("GET %s with token %q: %d %s, want 401 with a JSON error", path, tok, code, body)
			}
		}
	}
}

func TestArchiveAPIListsAndServes(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	for i := 0; i < 5; i++ {
		tc.mustIngest(t, newBatch(fmt.Sprintf("s_apilist%02d", i), 0, 2, "/"))
	}
	if err := tc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := tc.store.keys()
	var got []string
	after := ""
	for pages := 0; pages < 10; pages++ {
		code, body := get(t, tc.srv.URL+"/v1/archives?limit=2&after="+after, tc.Token())
		if code != 200 {
			t.Fatalf("list: %d %s", code, body)
		}
		var lr listResponse
		if err := json.Unmarshal(body, &lr); err != nil {
			t.Fatal(err)
		}
		for _, e := range lr.Archives {
			got = append(got, e.Key)
			if e.Size <= 0 || len(e.SHA256) != 64 {
				t.Errorf("entry %+v lacks size or sha256", e)
			}
		}
		if lr.Next == "" {
			break
		}
		after = lr.Next
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paged listing = %v, want %v", got, want)
	}
	code, body := get(t, tc.srv.URL+"/v1/archives/"+want[2], tc.Token())
	if code != 200 || string(body) != string(tc.store.objects[want[2]]) {
		t.Errorf("download %s: %d, %d bytes, want the stored bytes", want[2], code, len(body))
	}
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/v1/archives/2026/01/01/none.loupe", 404},
		{"/v1/archives/../token", 404}, // cleaned by the mux: never reaches the store
		{"/v1/archives/a/..%2f..%2ftoken.loupe", 400},
		{"/v1/archives/a/.hidden.loupe", 400},
		{"/v1/archives/x.txt", 400},
		{"/v1/archives?limit=0", 400},
		{"/v1/archives?limit=abc", 400},
	} {
		if code, body := get(t, tc.srv.URL+tt.path, tc.Token()); code != tt.want {
			t.Errorf("GET %s: %d %s, want %d", tt.path, code, body, tt.want)
		}
	}
}

func TestStatusAndMetrics(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	tc.mustIngest(t, newBatch("s_metrics01", 0, 7, "/"))
	code, body := get(t, tc.srv.URL+"/v1/status", tc.Token())
	var st Status
	if code != 200 || json.Unmarshal(body, &st) != nil || st.Events != 7 || st.OpenSessions != 1 {
		t.Errorf("status: %d %s, want 7 events and 1 open session", code, body)
	}
	code, body = get(t, tc.srv.URL+"/metrics", tc.Token())
	wantLine := fmt.Sprintf("loupe_collector_events_total{collector=%q} 7\n", tc.ID())
	if code != 200 || !strings.Contains(string(body), wantLine) || !strings.Contains(string(body), "# TYPE loupe_collector_open_sessions gauge") {
		t.Errorf("metrics: %d\n%s\nwant a line %q", code, body, wantLine)
	}
	if code, body := get(t, tc.srv.URL+"/healthz", ""); code != 200 || !strings.Contains(string(body), `"ok":true`) {
		t.Errorf("healthz: %d %s", code, body)
	}
}
