package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
)

// TestArchiveDigests: every imported archive's digest may be held, in
// either case of hex; digests never imported are not, bar a prefix
// collision; a digest that is not hex sha256 makes every lookup ask.
func TestArchiveDigests(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var imported []string
	b, err := db.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range generate.Sessions(generate.Options{Seed: 5, Sessions: 50}) {
		sum := sha256.Sum256([]byte(fmt.Sprint("archive", i)))
		imported = append(imported, hex.EncodeToString(sum[:]))
		if _, err := b.Add(s.Header, s.Events, nil, s.Header.Session, imported[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	d, err := db.ArchiveDigests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sha := range append(imported, strings.ToUpper(imported[0])) {
		if !d.MayHave(sha) {
			t.Fatalf("imported %s is not in the set", sha)
		}
	}
	absent := 0
	for i := 0; i < 1000; i++ {
		sum := sha256.Sum256([]byte(fmt.Sprint("never", i)))
		if !d.MayHave(hex.EncodeToString(sum[:])) {
			absent++
		}
	}
	if absent != 1000 {
		t.Fatalf("%d of 1000 digests never imported were told apart", absent)
	}
	if !d.MayHave("not-a-digest") {
		t.Fatal("a digest that is not hex sha256 must be asked about")
	}
	if _, err := db.DB().ExecContext(ctx, `INSERT INTO archives (sha256, key, session_id, part, imported_at)
		SELECT 'hand-made', 'k', session_id, 0, 0 FROM archives LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if d, err = db.ArchiveDigests(ctx); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("never0"))
	if !d.MayHave(hex.EncodeToString(sum[:])) {
		t.Fatal("with a digest that is not sha256 on record, every lookup must ask")
	}
}
