package rrweb

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// corpusDir is rrweb's own recorded test streams (../shared/corpus beside
// the repository); LOUPE_CORPUS overrides it.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("LOUPE_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus", "rrweb-fixtures")
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Fatalf("rrweb corpus not found at %s (set LOUPE_CORPUS): %v", dir, err)
	}
	return dir
}

func corpusFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir(t), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	return files
}

func decodeFile(t testing.TB, path string) []Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, err := Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", filepath.Base(path), err)
	}
	return events
}

// corpusRow is one line of the corpus README's table, written by the tool
// that exported the fixtures with rrweb's own TypeScript enums: an
// independent record of what each stream holds.
type corpusRow struct {
	events  int
	types   [9]int
	sources map[string]int // "Mut(0)" → count
}

var sourceCell = regexp.MustCompile(`([A-Za-z]+)\((\d+)\)×(\d+)`)

func readCorpusTable(t *testing.T) map[string]corpusRow {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]corpusRow{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) < 16 || !strings.HasSuffix(strings.TrimSpace(cells[1]), ".json") {
			continue
		}
		num := func(s string) int {
			n, _ := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
			return n
		}
		row := corpusRow{events: num(cells[3]), sources: map[string]int{}}
		for i := 0; i < 9; i++ {
			row.types[i] = num(cells[4+i])
		}
		for _, m := range sourceCell.FindAllStringSubmatch(cells[13], -1) {
			row.sources[m[1]+"("+m[2]+")"] = num(m[3])
		}
		rows[strings.TrimSpace(cells[1])] = row
	}
	if len(rows) < 30 {
		t.Fatalf("read %d rows from the corpus table, want at least 30", len(rows))
	}
	return rows
}

// The corpus table names sources by rrweb's enum member; each must be the
// constant of the same value here.
var tableSources = map[string]IncrementalSource{
	"Mut": SourceMutation, "MouseMove": SourceMouseMove, "MouseInt": SourceMouseInteraction,
	"Scroll": SourceScroll, "Input": SourceInput, "Media": SourceMediaInteraction,
	"SSRule": SourceStyleSheetRule, "Canvas": SourceCanvasMutation, "StyleDecl": SourceStyleDeclaration,
	"Selection": SourceSelection, "Adopted": SourceAdoptedStyleSheet,
}

// TestCorpusCensus locks the enums against recorded streams: counting each
// corpus file by type and source must give the counts rrweb's own enums
// gave when the corpus was exported.
func TestCorpusCensus(t *testing.T) {
	rows := readCorpusTable(t)
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := rows[name]
			if !ok {
				t.Fatalf("%s is not in the corpus table", name)
			}
			events := decodeFile(t, path)
			if len(events) != want.events {
				t.Errorf("events: got %d, want %d", len(events), want.events)
			}
			c := Count(events)
			for typ := 0; typ < 9; typ++ {
				if got := c.Types[EventType(typ)]; got != want.types[typ] {
					t.Errorf("%s events: got %d, want %d", EventType(typ), got, want.types[typ])
				}
			}
			wantSources := map[IncrementalSource]int{}
			for key, n := range want.sources {
				m := sourceCell.FindStringSubmatch(key + "×0")
				src, ok := tableSources[m[1]]
				if !ok {
					t.Fatalf("corpus table names unknown source %s", key)
				}
				if v, _ := strconv.Atoi(m[2]); int(src) != v {
					t.Errorf("%s: constant is %d, rrweb's value is %d", m[1], int(src), v)
				}
				wantSources[src] = n
			}
			for src, n := range wantSources {
				if got := c.Sources[src]; got != n {
					t.Errorf("%s events: got %d, want %d", src, got, n)
				}
			}
			for src, n := range c.Sources {
				if wantSources[src] == 0 {
					t.Errorf("%s events: got %d, the table has none", src, n)
				}
			}
			if len(c.Unknown) != 0 {
				t.Errorf("unknown in a corpus of known types: %v", c.Unknown)
			}
		})
	}
}

// TestCorpusPayloads decodes every typed payload of every corpus stream.
func TestCorpusPayloads(t *testing.T) {
	for _, path := range corpusFiles(t) {
		events := decodeFile(t, path)
		metas, snaps := 0, 0
		for i, e := range events {
			var err error
			switch e.Type {
			case Meta:
				_, err = e.DecodeMeta()
				metas++
			case FullSnapshot:
				var s FullSnapshotData
				s, err = e.DecodeFullSnapshot()
				if err == nil && s.Node.Type != DocumentNode {
					t.Errorf("%s event %d: snapshot root is %d, want a document", filepath.Base(path), i, s.Node.Type)
				}
				snaps++
			case IncrementalSnapshot:
				_, err = e.DecodeIncremental()
			}
			if err != nil {
				t.Errorf("%s event %d (%s): %v", filepath.Base(path), i, e.Type, err)
			}
		}
		if metas == 0 || snaps == 0 {
			t.Errorf("%s: %d metas, %d snapshots; every corpus file has both", filepath.Base(path), metas, snaps)
		}
	}
}
