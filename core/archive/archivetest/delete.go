package archivetest

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
)

// testDelete checks a Deleter: the key goes from Open and List, its
// neighbours stay, a second delete succeeds, a hostile key is refused, and
// the key can be written again afterwards.
func testDelete(t *testing.T, s archive.Store) {
	d, ok := s.(archive.Deleter)
	if !ok {
		t.Skip("this store does not delete")
	}
	ctx := context.Background()
	gone, kept := "2026/12/04/s_erase0001.loupe", "2026/12/04/s_keep00001.loupe"
	b := NewBlob(t, "s_erase0001", 5)
	put(t, s, gone, b)
	put(t, s, kept, NewBlob(t, "s_keep00001", 5))
	if err := d.Delete(ctx, gone); err != nil {
		t.Fatalf("Delete(%q) = %v", gone, err)
	}
	if rc, err := s.Open(ctx, gone); err == nil {
		rc.Close()
		t.Errorf("Open after Delete succeeded")
	} else if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open after Delete = %v, want fs.ErrNotExist", err)
	}
	if got := keys(listAll(t, s)); !slices.Equal(got, []string{kept}) {
		t.Errorf("List after Delete = %v, want only %s", got, kept)
	}
	if err := d.Delete(ctx, gone); err != nil {
		t.Errorf("deleting again = %v, want nil", err)
	}
	if err := d.Delete(ctx, "../outside.loupe"); !errors.Is(err, archive.ErrInvalidKey) {
		t.Errorf("Delete of a hostile key = %v, want ErrInvalidKey", err)
	}
	put(t, s, gone, b)
	if got := readKey(t, s, gone); len(got) != len(b.Data) {
		t.Errorf("put after delete reads back %d bytes, want %d", len(got), len(b.Data))
	}
}
