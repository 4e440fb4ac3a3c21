package ask

import "testing"

// BenchmarkParse reads one long sentence against the shop vocabulary,
// building the lexicon each time as a call from the UI does.
func BenchmarkParse(b *testing.B) {
	v := loadVocab(b, "shop")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("mobile users from Germany who reached checkout but did not pay last week", v, corpusNow); err != nil {
			b.Fatal(err)
		}
	}
}
