// Package rrwebtest finds and reads rrweb's own test recordings (the
// corpus beside the repository, or $LOUPE_CORPUS) for the tests of every
// package that replays or derives from them.
package rrwebtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// CorpusDir is the folder of rrweb's recordings: $LOUPE_CORPUS, else the
// shared corpus beside the repository, seen from a package two levels
// below its root. A missing corpus fails the test: a skip would count
// nothing as passing.
func CorpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("LOUPE_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus", "rrweb-fixtures")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Fatalf("rrweb corpus not found at %s (set LOUPE_CORPUS): %v", dir, err)
	}
	return dir
}

// Events decodes one recording of the corpus, failing the test when it
// cannot.
func Events(t testing.TB, path string) []rrweb.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, err := rrweb.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return events
}
