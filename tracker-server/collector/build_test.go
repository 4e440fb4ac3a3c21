package collector

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestHeaderForOddEvents(t *testing.T) {
	raw := func(s ...string) []json.RawMessage {
		var out []json.RawMessage
		for _, e := range s {
			out = append(out, json.RawMessage(e))
		}
		return out
	}
	tests := []struct {
		name        string
		events      []json.RawMessage
		wantPages   []string
		wantStarted int64
		wantEnded   int64
	}{
		{"meta pages without query or fragment", raw(
			`{"type":4,"data":{"href":"https://shop.example/a/b?x=1#top"},"timestamp":2000}`,
			`{"type":4,"data":{"href":"https://shop.example"},"timestamp":3000}`),
			[]string{"/a/b", "/"}, 2000, 3000},
		{"data that is not an object still counts for time", raw(
			`{"type":3,"data":"odd","timestamp":500}`,
			`{"type":4,"data":{"width":1},"timestamp":900}`),
			[]string{}, 500, 900},
		{"fractional and unordered timestamps", raw(
			`{"type":3,"data":{},"timestamp":1500.7}`,
			`{"type":3,"data":{},"timestamp":1200.2}`),
			[]string{}, 1200, 1500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := headerFor(openRecord{Site: "demo", Session: "s_header01"}, []batchRecord{{Seq: 0, Events: tt.events}}, "c1")
			if !slices.Equal(h.Pages, tt.wantPages) {
				t.Errorf("pages = %v, want %v", h.Pages, tt.wantPages)
			}
			if !h.StartedAt.Equal(time.UnixMilli(tt.wantStarted)) || !h.EndedAt.Equal(time.UnixMilli(tt.wantEnded)) {
				t.Errorf("started %v ended %v, want %d..%d ms", h.StartedAt, h.EndedAt, tt.wantStarted, tt.wantEnded)
			}
		})
	}
}

func TestArchiveIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	open := openRecord{Site: "demo", Session: "s_determin1", Visitor: "v_determin1", UserAgent: "UA", Country: "DE"}
	lg, err := createLog(filepath.Join(dir, "s_determin1.0.log"), open, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []batchRecord{
		{Seq: 1, Events: batchEvents(1, 3, "")},
		{Seq: 0, Events: batchEvents(0, 3, "/")},
		{Seq: 1, Events: batchEvents(1, 3, "")},
	} {
		if _, err := lg.append(kindBatch, b); err != nil {
			t.Fatal(err)
		}
	}
	lg.close()
	ix, err := indexLog(lg.path, false)
	if err != nil {
		t.Fatal(err)
	}
	order := ix.ordered()
	if len(order) != 2 || order[0].seq != 0 {
		t.Fatalf("ordered kept %d batches starting at seq %d, want 2 from seq 0", len(order), order[0].seq)
	}
	in := &sealInput{ix: ix, order: order, header: headerFor(open, nil, "c1")}
	size1, sum1, err := writeArchive(filepath.Join(dir, "a.loupe"), in)
	if err != nil {
		t.Fatal(err)
	}
	size2, sum2, err := writeArchive(filepath.Join(dir, "b.loupe"), in)
	if err != nil {
		t.Fatal(err)
	}
	size3, sum3, err := in.measure()
	if err != nil {
		t.Fatal(err)
	}
	if size1 != size2 || sum1 != sum2 || len(sum1) != 64 || size3 != size1 || sum3 != sum1 {
		t.Errorf("three builds of one log: %d %s, %d %s, %d %s, want equal", size1, sum1, size2, sum2, size3, sum3)
	}
}
