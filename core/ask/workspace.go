package ask

import (
	"context"

	"github.com/loupe-dev/loupe/core/workspace"
)

// VocabularyOf reads a workspace's vocabulary: its pages, clicked
// elements, custom events and session attributes.
func VocabularyOf(ctx context.Context, db *workspace.DB) (Vocabulary, error) {
	w, err := db.AskVocabulary(ctx)
	if err != nil {
		return Vocabulary{}, err
	}
	v := Vocabulary{Pages: w.Pages, Events: w.Events, Countries: w.Countries, Devices: w.Devices,
		Browsers: w.Browsers, OS: w.OS, Tags: w.Tags}
	for _, e := range w.Elements {
		v.Elements = append(v.Elements, Element{Selector: e[0], Text: e[1]})
	}
	return v, nil
}
