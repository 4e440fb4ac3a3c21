package report

import (
	"fmt"
	"html/template"
	"io"
)

var page = template.Must(template.New("report").Parse(pageTemplate))

// Write writes the report as one HTML file.
func Write(w io.Writer, p *Page) error {
	if err := page.Execute(w, p); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
