package file_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/archive/archivetest"
	"github.com/loupe-dev/loupe/sync/file"
)

func newStore(t *testing.T) (*file.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := file.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func TestDigestFileIsSha256sumFormat(t *testing.T) {
	s, dir := newStore(t)
	b := archivetest.NewBlob(t, "s_layout001", 10)
	if err := s.Put(context.Background(), "d/s.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); err != nil {
		t.Fatal(err)
	}
	side, err := os.ReadFile(filepath.Join(dir, "d", "s.loupe.sha256"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(side), b.SHA256+"  s.loupe\n"; got != want {
		t.Errorf("digest file = %q, want %q", got, want)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "s.loupe.sha256")
		cmd.Dir = filepath.Join(dir, "d")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v: %s", err, out)
		}
	}
}

func TestHandCopiedArchiveIsHashed(t *testing.T) {
	s, dir := newStore(t)
	b := archivetest.NewBlob(t, "s_copied001", 10)
	if err := os.WriteFile(filepath.Join(dir, "copied.loupe"), b.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	// Not archives: a note, a leftover temporary file, a digest with no
	// archive.
	os.WriteFile(filepath.Join(dir, "README.txt"), []byte("hello"), 0o644)
	os.WriteFile(filepath.Join(dir, ".copied2.loupe.tmp-123"), b.Data[:10], 0o644)
	os.WriteFile(filepath.Join(dir, "gone.loupe.sha256"), []byte(b.SHA256+"  gone.loupe\n"), 0o644)
	entries, err := s.List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Key != "copied.loupe" || entries[0].SHA256 != b.SHA256 {
		t.Fatalf("List = %+v, want copied.loupe with sha256 %s", entries, b.SHA256)
	}
	// A stale digest file is not trusted over the bytes.
	os.WriteFile(filepath.Join(dir, "copied.loupe.sha256"), []byte(b.SHA256+"  other.loupe\n"), 0o644)
	entries, _ = s.List(context.Background(), "", 0)
	if len(entries) != 1 || entries[0].SHA256 != b.SHA256 {
		t.Fatalf("List with a digest file for another name = %+v", entries)
	}
}

func TestSymlinkIsNotServed(t *testing.T) {
	s, dir := newStore(t)
	secret := filepath.Join(t.TempDir(), "secret.loupe")
	os.WriteFile(secret, []byte("outside the store"), 0o644)
	if err := os.Symlink(secret, filepath.Join(dir, "link.loupe")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(context.Background(), "link.loupe"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(link) error = %v, want fs.ErrNotExist", err)
	}
	entries, _ := s.List(context.Background(), "", 0)
	if len(entries) != 0 {
		t.Errorf("List = %+v, want no symlinked entries", entries)
	}
}

func TestOpenBelowAFile(t *testing.T) {
	s, dir := newStore(t)
	os.WriteFile(filepath.Join(dir, "notes"), []byte("x"), 0o644)
	if _, err := s.Open(context.Background(), "notes/a.loupe"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open below a file: error = %v, want fs.ErrNotExist", err)
	}
}

func TestNewRejectsAFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "f")
	os.WriteFile(f, nil, 0o644)
	if _, err := file.New(f); err == nil {
		t.Error("New(a file) = nil error, want an error")
	}
	if _, err := file.New(""); err == nil {
		t.Error(`New("") = nil error, want an error`)
	}
}

func TestOpenStopsWhenCancelled(t *testing.T) {
	s, _ := newStore(t)
	b := archivetest.NewBlob(t, "s_cancel001", 2000)
	if err := s.Put(context.Background(), "c.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rc, err := s.Open(ctx, "c.loupe")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	cancel()
	if _, err := io.Copy(io.Discard, rc); !errors.Is(err, context.Canceled) {
		t.Errorf("copy after cancel: error = %v, want context.Canceled", err)
	}
}
