package collector

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSealedIndexDropsExpiredEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sealed.log")
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	x, entries, err := loadSealedIndex(path, seenRetention, now)
	if err != nil || len(entries) != 0 {
		t.Fatalf("fresh index: %v entries, err %v", entries, err)
	}
	for i, age := range []time.Duration{72 * time.Hour, 49 * time.Hour, 47 * time.Hour, time.Minute} {
		e := sealedEntry{Session: "s_index000" + string(rune('a'+i)), Part: i, Key: "k.loupe",
			Seqs: seqRanges([]int64{0, 1, 2, 5}), SealedAt: now.Add(-age).UnixMilli()}
		if err := x.add(e); err != nil {
			t.Fatal(err)
		}
	}
	// A torn append after the last entry is cut, never fatal.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte{0, 0, 1})
	f.Close()
	if err := x.compact(seenRetention, now); err != nil {
		t.Fatal(err)
	}
	x.close()
	_, entries, err = loadSealedIndex(path, seenRetention, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Session)
	}
	if want := []string{"s_index000c", "s_index000d"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("kept entries = %v, want %v", got, want)
	}
	if len(entries) > 0 && len(entries[0].Seqs) != 2 {
		t.Errorf("seq ranges = %v, want [[0 2] [5 5]]", entries[0].Seqs)
	}
}
