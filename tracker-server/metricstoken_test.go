package main

import (
	"net/http"
	"syscall"
	"testing"
)

func TestMetricsTokenFlag(t *testing.T) {
	s := start(t, t.TempDir(), "127.0.0.1:18224", "--data", "data", "--metrics-token", "monitoring-token-1")
	for _, tt := range []struct {
		path, token string
		want        int
	}{
		{"/metrics", "", http.StatusUnauthorized},
		{"/v1/status", "", http.StatusUnauthorized},
		{"/metrics", "monitoring-token-1", http.StatusOK},
		{"/v1/status", "monitoring-token-1", http.StatusOK},
		{"/metrics", s.token, http.StatusOK},
		{"/v1/archives", "monitoring-token-1", http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest(http.MethodGet, s.url+tt.path, nil)
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("GET %s with token %q: %d, want %d", tt.path, tt.token, resp.StatusCode, tt.want)
		}
	}
	stopServer(t, s, syscall.SIGTERM)
}
