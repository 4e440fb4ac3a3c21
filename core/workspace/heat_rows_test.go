package workspace

import (
	"reflect"
	"testing"
)

func TestHeatRowRoundTrip(t *testing.T) {
	rows := []heatRow{
		{sid: 1, vw: 1280, pageviews: []heatPageview{{docHeight: 2400, scroll: 5123}, {docHeight: 0, scroll: -100}},
			clicks: []heatClick{{seq: 0, x: 10, y: 20, relX: 5000, relY: -10000, selector: 3, flags: 5}, {seq: 4, x: -100000, y: 1997151, relX: 20000, relY: 0, selector: 1 << 29, flags: 0}}},
		{sid: 1 << 40, vw: -1},
		{sid: 7, vw: 390, clicks: []heatClick{{seq: 2, x: 1, y: 1, selector: 0, flags: 7}}},
	}
	var blob []byte
	for i := range rows {
		blob = appendHeatRow(blob, &rows[i])
	}
	r := heatReader{b: blob}
	var got heatRow
	for i, want := range rows {
		if !r.next(&got) {
			t.Fatalf("row %d: next = false, err %v", i, r.err)
		}
		// Empty and nil slices decode alike.
		if len(want.pageviews) == 0 {
			want.pageviews = got.pageviews[:0]
		}
		if len(want.clicks) == 0 {
			want.clicks = got.clicks[:0]
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("row %d: got %+v, want %+v", i, got, want)
		}
	}
	if r.next(&got) || r.err != nil {
		t.Errorf("after the last row: next = true or err %v", r.err)
	}
}

func TestHeatRowDamage(t *testing.T) {
	whole := appendHeatRow(nil, &heatRow{sid: 9, vw: 800, clicks: []heatClick{{seq: 1, x: 300, y: 4000, selector: 2}}})
	for _, b := range [][]byte{whole[:len(whole)-1], append([]byte{0x7f}, whole[1:]...), {0x80}} {
		r := heatReader{b: b}
		var row heatRow
		if r.next(&row) || r.err == nil {
			t.Errorf("damaged row % x: next = true, err %v; want errHeatRow", b, r.err)
		}
	}
}

// FuzzHeatReader feeds arbitrary bytes to the decoder: it must stop with
// an error or decode rows that encode back to the bytes it consumed.
func FuzzHeatReader(f *testing.F) {
	f.Add(appendHeatRow(nil, &heatRow{sid: 3, vw: 1280, pageviews: []heatPageview{{100, 200}},
		clicks: []heatClick{{seq: 0, x: 1, y: 2, relX: 3, relY: 4, selector: 5, flags: 1}}}))
	f.Add([]byte{})
	f.Add([]byte{0x02, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := heatReader{b: b}
		var row heatRow
		for n := 0; r.next(&row); n++ {
			if n > len(b) {
				t.Fatalf("more rows than bytes")
			}
			if len(row.clicks) > len(b) || len(row.pageviews) > len(b) {
				t.Fatalf("decoded %d clicks %d pageviews from %d bytes", len(row.clicks), len(row.pageviews), len(b))
			}
		}
	})
}
