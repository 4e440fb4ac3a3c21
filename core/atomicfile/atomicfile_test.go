package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileContentAndMode(t *testing.T) {
	for _, tc := range []struct {
		name string
		perm fs.FileMode
		want fs.FileMode
	}{
		{"default", 0, 0o644},
		{"private", 0o600, 0o600},
		{"given", 0o640, 0o640},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.txt")
			if err := WriteFile(path, []byte("hello\n"), tc.perm); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "hello\n" {
				t.Errorf("content = %q, want %q", got, "hello\n")
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != tc.want {
				t.Errorf("mode = %v, want %v", st.Mode().Perm(), tc.want)
			}
			assertOnly(t, dir, "out.txt")
		})
	}
}

func TestWriteReplacesOldContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new"), 0); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("content = %q, want %q", got, "new")
	}
}

func TestWriteErrorLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("render failed")
	err := Write(path, 0, func(w io.Writer) error {
		if _, err := io.WriteString(w, "half a rep"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content after a failed write = %q, want the old %q", got, "old")
	}
	assertOnly(t, dir, "report.html")
}

func TestCommitErrorRemovesTemp(t *testing.T) {
	dir := t.TempDir()
	// A folder under the final name: a file cannot be renamed over it.
	path := filepath.Join(dir, "taken")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("x"), 0); err == nil {
		t.Fatal("writing over a folder's name succeeded")
	}
	assertOnly(t, dir, "taken")
}

func TestDiscardWithoutCommit(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "a.loupe"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("partial")); err != nil {
		t.Fatal(err)
	}
	f.Discard()
	assertOnly(t, dir)
	if err := f.Commit(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Commit after Discard = %v, want os.ErrClosed", err)
	}
}

func TestCommitSyncsTheFolder(t *testing.T) {
	var synced []string
	syncFile = func(f *os.File) error {
		synced = append(synced, f.Name())
		return f.Sync()
	}
	t.Cleanup(func() { syncFile = (*os.File).Sync })

	dir := t.TempDir()
	if err := WriteFile(filepath.Join(dir, "x.png"), []byte("png"), 0); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 || synced[0] != dir {
		t.Errorf("folders synced = %q, want [%q]", synced, dir)
	}
}

func TestFolderSyncErrorIsReported(t *testing.T) {
	boom := errors.New("disk gone")
	syncFile = func(*os.File) error { return boom }
	t.Cleanup(func() { syncFile = (*os.File).Sync })

	err := WriteFile(filepath.Join(t.TempDir(), "x"), []byte("x"), 0)
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want it to wrap %v", err, boom)
	}
}

func TestCreateInMissingFolder(t *testing.T) {
	_, err := Create(filepath.Join(t.TempDir(), "no", "such", "f"), 0)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
}

// assertOnly fails unless dir holds exactly the names given (no
// temporary files left behind).
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Fatalf("folder holds %q, want %q", got, names)
	}
	for i := range names {
		if got[i] != names[i] {
			t.Fatalf("folder holds %q, want %q", got, names)
		}
	}
}
