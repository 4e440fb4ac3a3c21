package workspace

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestHeatMovesRowRoundTrip(t *testing.T) {
	a := encodePoints([][2]float64{{10, 20}, {11, 22}, {400, -3}})
	b := encodePoints([][2]float64{{-5e8, 9e8}})
	rows := []heatMovesRow{
		{sid: 1, vw: 1280, pageviews: []heatMovePageview{{pageview: 0, count: 3, points: a}, {pageview: 7, count: 1, points: b}}},
		{sid: 1 << 40, vw: -1},
		{sid: 9, vw: 390, pageviews: []heatMovePageview{{pageview: 2, count: 0, points: []byte{pointsFormat}}}},
	}
	var blob []byte
	for i := range rows {
		blob = appendHeatMovesRow(blob, &rows[i])
	}
	r := heatReader{b: blob}
	var got heatMovesRow
	for i, want := range rows {
		if !r.nextMoves(&got) {
			t.Fatalf("row %d: nextMoves = false, err %v", i, r.err)
		}
		if len(want.pageviews) == 0 {
			want.pageviews = got.pageviews[:0]
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("row %d: got %+v, want %+v", i, got, want)
		}
	}
	if r.nextMoves(&got) || r.err != nil {
		t.Errorf("after the last row: nextMoves = true or err %v", r.err)
	}
}

func TestHeatMovesRowDamage(t *testing.T) {
	whole := appendHeatMovesRow(nil, &heatMovesRow{sid: 9, vw: 800,
		pageviews: []heatMovePageview{{pageview: 1, count: 1, points: encodePoints([][2]float64{{300, 4000}})}}})
	longer := bytes.Clone(whole)
	longer[len(longer)-6]++ // the blob's length now runs past the row
	for _, b := range [][]byte{whole[:len(whole)-1], append([]byte{0x7f}, whole[1:]...), {0x80}, longer} {
		r := heatReader{b: b}
		var row heatMovesRow
		if r.nextMoves(&row) || r.err == nil {
			t.Errorf("damaged row % x: nextMoves = true, err %v; want errHeatRow", b, r.err)
		}
	}
}

// FuzzHeatMovesReader: arbitrary bytes end in an error or in rows whose
// blobs lie inside the bytes read.
func FuzzHeatMovesReader(f *testing.F) {
	f.Add(appendHeatMovesRow(nil, &heatMovesRow{sid: 3, vw: 1280,
		pageviews: []heatMovePageview{{pageview: 0, count: 1, points: encodePoints([][2]float64{{1, 2}})}}}))
	f.Add([]byte{})
	f.Add([]byte{0x03, 0x01, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := heatReader{b: b}
		var row heatMovesRow
		for n := 0; r.nextMoves(&row); n++ {
			if n > len(b) {
				t.Fatalf("more rows than bytes")
			}
			size := 0
			for _, p := range row.pageviews {
				size += len(p.points)
				appendPoints(nil, p.points)
			}
			if size > len(b) || len(row.pageviews) > len(b) {
				t.Fatalf("decoded %d pageviews, %d bytes of points from %d bytes", len(row.pageviews), size, len(b))
			}
		}
	})
}

// TestPointDeltaIsVarint holds the short paths of pointDelta to
// binary.Varint, at every length boundary and on truncated input.
func TestPointDeltaIsVarint(t *testing.T) {
	values := []int64{0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, -8193, 1 << 20, -(1 << 40), math.MaxInt64, math.MinInt64}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		values = append(values, rng.Int64N(1<<uint(rng.IntN(62)+1))-(1<<uint(rng.IntN(40))))
	}
	for _, v := range values {
		b := binary.AppendVarint(nil, v)
		for cut := 0; cut <= len(b); cut++ {
			wantV, wantN := binary.Varint(b[:cut])
			gotV, gotN := pointDelta(b[:cut])
			if gotN != wantN || (wantN > 0 && gotV != wantV) {
				t.Fatalf("pointDelta(% x) = %d, %d; binary.Varint = %d, %d", b[:cut], gotV, gotN, wantV, wantN)
			}
		}
	}
}

// TestPointsRoundTrip: positions come back rounded to whole pixels,
// countPoints counts them, and a damaged tail keeps the points before it.
func TestPointsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var pts [][2]float64
	var want []int32
	x, y := 500.0, 300.0
	for range 3000 {
		x += rng.NormFloat64() * float64(rng.IntN(3000))
		y += rng.NormFloat64() * 40
		pts = append(pts, [2]float64{x, y})
		want = append(want, int32(math.Round(x)), int32(math.Round(y)))
	}
	pts = append(pts, [2]float64{2e9, -2e9}, [2]float64{math.NaN(), 0})
	want = append(want, 1e9, -1e9, 0, 0)
	blob := encodePoints(pts)
	if got := appendPoints(nil, blob); !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded %d values, want %d (first difference aside)", len(got), len(want))
	}
	if n := countPoints(blob); n != len(pts) {
		t.Errorf("countPoints = %d, want %d", n, len(pts))
	}
	if got := appendPoints(nil, blob[:len(blob)-1]); len(got) != len(want)-2 || !reflect.DeepEqual(got, want[:len(got)]) {
		t.Errorf("a truncated blob gave %d values, want the %d before the damage", len(got), len(want)-2)
	}
}
