package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
)

func TestName(t *testing.T) {
	abs, _ := filepath.Abs("some/dir")
	tests := []struct{ addr, want string }{
		{"http://host:8787/", "http://host:8787"},
		{"HTTPS://host/prefix", "https://host/prefix"},
		{"http://user:secret@host:1/x", "http://host:1/x"},
		{"s3://bucket/prefix?endpoint=http://127.0.0.1:9000", "s3://bucket/prefix?endpoint=http://127.0.0.1:9000"},
		{"some/dir", "file://" + abs},
		{"file://some/dir", "file://" + abs},
	}
	for _, tt := range tests {
		if got := Name(tt.addr); got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestOpenRejects(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "a.loupe")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		addr string
		is   error
	}{
		{"", ErrUnsupported},
		{"ftp://host/x", ErrUnsupported},
		{filepath.Join(t.TempDir(), "missing"), fs.ErrNotExist},
		{file, nil}, // a file, not a folder
	}
	for _, tt := range tests {
		_, err := Open(ctx, tt.addr, "")
		if err == nil {
			t.Errorf("Open(%q) succeeded, want an error", tt.addr)
			continue
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("Open(%q) = %v, want %v", tt.addr, err, tt.is)
		}
	}
}

func TestFolderList(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"b.loupe", "a/z.loupe", "a/c.loupe", "notes.txt", ".hidden/x.loupe", "c/.part.loupe"} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(name), 0o644)
	}
	src, err := Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := src.(Unordered); !ok || !u.Unordered() {
		t.Error("a folder should be an unordered source")
	}
	tests := []struct {
		after string
		limit int
		want  []string
	}{
		{"", 0, []string{"a/c.loupe", "a/z.loupe", "b.loupe"}},
		{"", 2, []string{"a/c.loupe", "a/z.loupe"}},
		{"a/z.loupe", 10, []string{"b.loupe"}},
		{"b.loupe", 10, nil},
	}
	for _, tt := range tests {
		es, err := src.List(ctx, tt.after, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range es {
			got = append(got, e.Key)
			if e.Size != int64(len(e.Key)) {
				t.Errorf("%s: size %d, want %d", e.Key, e.Size, len(e.Key))
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("List(%q, %d) = %v, want %v", tt.after, tt.limit, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("List(%q, %d) = %v, want %v", tt.after, tt.limit, got, tt.want)
			}
		}
	}
	rc, err := src.Open(ctx, "a/c.loupe")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "a/c.loupe" {
		t.Errorf("Open read %q", b)
	}
	for _, bad := range []string{"../x.loupe", "/etc/passwd"} {
		if _, err := src.Open(ctx, bad); err == nil {
			t.Errorf("Open(%q) escaped the folder", bad)
		}
	}
	if _, err := src.Open(ctx, "nope.loupe"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing key: %v, want fs.ErrNotExist", err)
	}
}

func TestCollectorAnswers(t *testing.T) {
	ctx := context.Background()
	var fails atomic.Int32
	fails.Store(2)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/archives", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer good" {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"missing or wrong analyst token"}`)
			return
		}
		if fails.Add(-1) >= 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"error":"busy"}`)
			return
		}
		switch r.URL.Query().Get("after") {
		case "evil":
			io.WriteString(w, `{"archives":[{"key":"../../etc/passwd.loupe","size":1}],"next":""}`)
		case "z.loupe":
			io.WriteString(w, `{"archives":[{"key":"a.loupe","size":1}],"next":""}`)
		default:
			io.WriteString(w, `{"archives":[{"key":"2026/a.loupe","size":3,"sha256":"ab","modified":"2026-11-02T09:00:00Z"}],"next":""}`)
		}
	})
	mux.HandleFunc("GET /v1/archives/{key...}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("key") != "2026/a.loupe" {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":"no such archive"}`)
			return
		}
		io.WriteString(w, "abc")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	src, err := Open(ctx, srv.URL+"/", "good")
	if err != nil {
		t.Fatal(err)
	}
	es, err := src.List(ctx, "", 10)
	if err != nil {
		t.Fatalf("List after two 503s: %v (should retry)", err)
	}
	if len(es) != 1 || es[0].Key != "2026/a.loupe" || es[0].SHA256 != "ab" || es[0].Size != 3 {
		t.Errorf("List = %+v", es)
	}
	rc, err := src.Open(ctx, "2026/a.loupe")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "abc" {
		t.Errorf("Open read %q, want abc", b)
	}
	if _, err := src.Open(ctx, "2026/b.loupe"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open missing: %v, want fs.ErrNotExist", err)
	}
	if _, err := src.List(ctx, "evil", 10); err == nil {
		t.Error("List accepted a key that escapes the store")
	}
	if _, err := src.List(ctx, "z.loupe", 10); err == nil {
		t.Error("List accepted a key that is not after the cursor")
	}
	bad, _ := Open(ctx, srv.URL, "bad")
	if _, err := bad.List(ctx, "", 10); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("List with a wrong token: %v, want ErrUnauthorized", err)
	}
}

// TestFolderListPages lists a folder a page at a time, as a sync does:
// every archive comes once, in key order (a-c.loupe sorts before
// a/b.loupe although the walk meets the folder a first), a file removed
// after the first page is left out, and a listing from the start sees
// files added since.
func TestFolderListPages(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for i := range 9 {
		want = append(want, fmt.Sprintf("2026/12/%02d.loupe", i))
	}
	want = append(want, "a-c.loupe", "a/b.loupe", "z.loupe")
	for _, name := range want {
		write(name)
	}
	src, err := Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	page := func(after string) []string {
		es, err := src.List(ctx, after, 4)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range es {
			keys = append(keys, e.Key)
		}
		return keys
	}
	var got []string
	after := ""
	for {
		keys := page(after)
		if len(keys) == 0 {
			break
		}
		if after == "" {
			os.Remove(filepath.Join(dir, "a", "b.loupe"))
		}
		got = append(got, keys...)
		after = keys[len(keys)-1]
	}
	wantSeen := append(append([]string{}, want[:9]...), "a-c.loupe", "z.loupe")
	if !reflect.DeepEqual(got, wantSeen) {
		t.Errorf("pages gave %v, want %v", got, wantSeen)
	}
	write("0.loupe")
	if keys := page(""); len(keys) == 0 || keys[0] != "0.loupe" {
		t.Errorf("a listing from the start gave %v, want it to begin with a file added since", keys)
	}
}
