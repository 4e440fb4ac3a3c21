package collector

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeBatch feeds arbitrary bodies to the ingest decoder: it must
// never panic, must fail only with ErrMalformed or ErrTooLarge, and what it
// accepts must satisfy the batch rules and survive a JSON round trip.
// Seeds: testdata/batches/* (plain and gzip bodies) and the corpus under
// testdata/fuzz/FuzzDecodeBatch.
func FuzzDecodeBatch(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "batches", "*"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed batches in testdata/batches (%v)", err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	lim := Limits{MaxBody: 64 << 10, MaxDecoded: 256 << 10, MaxEvents: 1000}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := DecodeBatch(body, lim)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v is neither ErrMalformed nor ErrTooLarge", err)
			}
			return
		}
		if !validID(b.Session) || !validID(b.Visitor) || b.Site == "" || b.Seq < 0 || b.Events == nil || len(b.Events) > lim.MaxEvents {
			t.Fatalf("accepted an invalid batch: %+v", b)
		}
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("accepted batch does not re-encode: %v", err)
		}
		b2, err := DecodeBatch(js, lim)
		if err != nil {
			t.Fatalf("re-encoded batch rejected: %v", err)
		}
		if b2.Session != b.Session || b2.Seq != b.Seq || len(b2.Events) != len(b.Events) {
			t.Fatalf("round trip changed the batch: %+v vs %+v", b, b2)
		}
	})
}

// FuzzReadLog feeds arbitrary bytes to session log recovery, as a crash or a
// bad disk could leave them: parsing must never panic, must keep only an
// intact prefix, and that prefix alone must parse the same with nothing
// left to cut.
func FuzzReadLog(f *testing.F) {
	var log []byte
	for _, rec := range []struct {
		kind byte
		v    any
	}{
		{kindOpen, openRecord{Site: "demo", Session: "s_fuzzlog01", Visitor: "v_fuzzlog01", Created: 1}},
		{kindBatch, batchRecord{Seq: 0, ReceivedAt: 2, Events: batchEvents(0, 2, "/")}},
		{kindBatch, batchRecord{Seq: 1, ReceivedAt: 3, Events: batchEvents(1, 1, "")}},
		{kindSeal, sealRecord{Key: "2026/11/26/x.loupe", SealedAt: 4}},
	} {
		p, err := encodeRecord(rec.kind, rec.v)
		if err != nil {
			f.Fatal(err)
		}
		log = appendFrame(log, p)
	}
	f.Add(log)
	f.Add(log[:len(log)-3])
	f.Add(log[:frameHeader+5])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		first, err := parseLog(bytes.NewReader(data))
		if err != nil && !errors.Is(err, errNoOpenRecord) {
			t.Fatalf("parseLog: %v", err)
		}
		if first.Size < 0 || first.Size > int64(len(data)) {
			t.Fatalf("intact prefix %d of %d bytes", first.Size, len(data))
		}
		again, _ := parseLog(bytes.NewReader(data[:first.Size]))
		if again.Size != first.Size || again.Frames != first.Frames || len(again.Batches) != len(first.Batches) {
			t.Fatalf("prefix reads differently: %+v then %+v", first, again)
		}
	})
}
