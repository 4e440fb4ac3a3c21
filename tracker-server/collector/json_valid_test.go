package collector

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validJSONCases are bodies at the edges of the grammar, each checked
// against encoding/json.Valid.
var validJSONCases = []string{
	``, ` `, `{}`, `[]`, ` {} `, `{} {}`, `{`, `}`, `[`, `]`, `{]`, `[}`, `[1,]`, `[,1]`, `{"a":1,}`,
	`{"a"}`, `{"a":}`, `{a:1}`, `{"a" : 1 , "b" :[ 1 , 2 ] }`, "{\"a\":\t\n\r1}", "{\"a\":\v1}",
	`"x"`, `"`, `"\"`, `"\\"`, `"\u00e9"`, `"\u00G9"`, `"\u00e"`, `"\x"`, `"\/\b\f\n\r\t"`, "\"a\x01\"", "\"a\x7f\xff\"",
	`0`, `-0`, `01`, `-`, `1.`, `1.5`, `.5`, `1e5`, `1E+5`, `1e-5`, `1e`, `1e+`, `-01`, `1.5e3`, `+1`, `0x10`, `1 2`,
	`true`, `false`, `null`, `tru`, `nul`, `truex`, `[true,false,null]`, `NaN`, `[-]`, `{"a":-}`,
	`{"events":[{"type":4,"data":{"href":"http://x/"},"timestamp":1},{"type":3,"data":{"source":1},"timestamp":2}]}`,
	strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
	strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1),
	strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth),
	strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1),
}

func TestValidJSONMatchesEncodingJSON(t *testing.T) {
	for _, c := range validJSONCases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.40q) = %v, encoding/json says %v", c, got, want)
		}
	}
}

// FuzzValidJSON: validJSON and encoding/json.Valid agree on every input,
// so the fast path of DecodeBatch accepts exactly what encoding/json does.
func FuzzValidJSON(f *testing.F) {
	for _, c := range validJSONCases {
		f.Add([]byte(c))
	}
	seeds, _ := filepath.Glob(filepath.Join("testdata", "batches", "*.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validJSON(b), json.Valid(b); got != want {
			t.Fatalf("validJSON(%q) = %v, encoding/json says %v", b, got, want)
		}
	})
}

// BenchmarkValidJSON compares the check with encoding/json.Valid on a
// tracker batch of 50 events.
func BenchmarkValidJSON(b *testing.B) {
	body := batchJSON(b, newBatch("s_validbench", 1, 50, "/"))
	b.Run("validJSON", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if !validJSON(body) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if !json.Valid(body) {
				b.Fatal("invalid")
			}
		}
	})
}

// BenchmarkDecodeBatch is the whole decode of a gzipped 50-event batch
// as the tracker sends it: gunzip, checks, the walk of the body and of
// each event.
func BenchmarkDecodeBatch(b *testing.B) {
	body := gzipBytes(b, batchJSON(b, newBatch("s_decodebench", 1, 50, "/")))
	lim := Limits{MaxBody: 1 << 20, MaxDecoded: 8 << 20, MaxEvents: 10000}
	for b.Loop() {
		if _, err := DecodeBatch(body, lim); err != nil {
			b.Fatal(err)
		}
	}
}
