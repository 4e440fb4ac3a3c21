package file_test

import (
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/archive/archivetest"
	"github.com/loupe-dev/loupe/sync/file"
)

func TestConformance(t *testing.T) {
	archivetest.Run(t, func(t *testing.T) archive.Store {
		s, err := file.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
