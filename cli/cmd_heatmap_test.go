package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/heatmap"
)

func TestHeatmapCommand(t *testing.T) {
	path, _ := cliWorkspace(t, 120)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"heatmap", "--workspace", path, "--page", "/products/*", "--json"}, &out, &errOut); err != nil {
		t.Fatalf("loupe heatmap: %v (%s)", err, errOut.String())
	}
	var d heatmap.Data
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.Kind != heatmap.Clicks || len(d.Points) == 0 || len(d.Elements) == 0 || len(d.Scroll) != 20 {
		t.Errorf("heatmap JSON: kind %s, %d points, %d elements, %d bands", d.Kind, len(d.Points), len(d.Elements), len(d.Scroll))
	}
	pngPath := filepath.Join(t.TempDir(), "h.png")
	if err := run(context.Background(), []string{"heatmap", "--workspace", path, "--page", "/", "--kind", "scroll", "--png", pngPath}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() != 640 {
		t.Errorf("PNG: %v, err %v; want 640 px wide", img, err)
	}
	if err := run(context.Background(), []string{"heatmap", "--workspace", path, "--page", "/", "--kind", "heat"}, &out, &errOut); err == nil {
		t.Error("unknown kind: want an error")
	}
}
