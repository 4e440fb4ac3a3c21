package source

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
)

func TestOpenAsset(t *testing.T) {
	ctx := context.Background()
	body := []byte("a stored png")
	sha := archive.SumAsset(body)
	absent := archive.SumAsset([]byte("absent"))

	dir := t.TempDir()
	p := filepath.Join(dir, filepath.FromSlash(archive.AssetKey(sha)))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	folderSrc, err := Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/assets/{sha}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, `{"error":"bad token"}`, http.StatusUnauthorized)
			return
		}
		if r.PathValue("sha") != sha {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":"no such asset"}`)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(body)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	httpSrc, err := Open(ctx, srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	wrongToken, _ := Open(ctx, srv.URL, "nope")

	for name, src := range map[string]Source{"folder": folderSrc, "collector": httpSrc} {
		rc, err := src.OpenAsset(ctx, sha)
		if err != nil {
			t.Fatalf("%s: OpenAsset: %v", name, err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != string(body) {
			t.Errorf("%s: got %q, want %q", name, got, body)
		}
		if _, err := src.OpenAsset(ctx, absent); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: absent asset: err = %v, want fs.ErrNotExist", name, err)
		}
		if _, err := src.OpenAsset(ctx, "../../etc/passwd"); err == nil {
			t.Errorf("%s: a malformed digest was opened", name)
		}
	}
	if _, err := wrongToken.OpenAsset(ctx, sha); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("wrong token: err = %v, want ErrUnauthorized", err)
	}
	// The assets folder of a copied store holds no archives to list.
	entries, err := folderSrc.List(ctx, "", 0)
	if err != nil || len(entries) != 0 {
		t.Errorf("List of a folder with only assets = %v, %v", entries, err)
	}
}
