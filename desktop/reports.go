package desktop

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/report"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Reports exports the self-contained HTML report (`loupe report`): as a
// download in browser mode, into the Downloads folder from the window.
type Reports struct {
	scope
	db  *workspace.DB
	now func() time.Time
}

// NewReports binds report export to a workspace.
func NewReports(db *workspace.DB) *Reports {
	return &Reports{scope: unscoped(), db: db, now: time.Now}
}

// ReportRequest chooses what the report shows; every field is optional.
type ReportRequest struct {
	Title   string   `json:"title,omitempty"`
	Segment string   `json:"segment,omitempty"`
	Steps   []string `json:"steps,omitempty"`
	// Days bounds the period to the last N whole days of data, as the
	// dashboard counts them (0: all the data).
	Days int `json:"days,omitempty"`
	// LinkBase goes before each moment's #/sessions/… link: the page's
	// own address in browser mode, loupe:// in the window.
	LinkBase string `json:"link_base,omitempty"`
}

// ReportFile is a built report: its file name, and either its HTML (to
// download) or the path it was saved at.
type ReportFile struct {
	Name  string `json:"name"`
	HTML  string `json:"html,omitempty"`
	Path  string `json:"path,omitempty"`
	Bytes int    `json:"bytes"`
}

// Build lays out the report and returns its HTML for the browser to
// download.
func (r *Reports) Build(req ReportRequest) (ReportFile, error) {
	html, err := r.build(req)
	if err != nil {
		return ReportFile{}, fail(err, "build report")
	}
	return ReportFile{Name: r.fileName(), HTML: html, Bytes: len(html)}, nil
}

// SaveToDownloads builds the report and writes it into the user's
// Downloads folder (XDG_DOWNLOAD_DIR, else ~/Downloads), never replacing
// a file, and returns where.
func (r *Reports) SaveToDownloads(req ReportRequest) (ReportFile, error) {
	html, err := r.build(req)
	if err != nil {
		return ReportFile{}, fail(err, "build report")
	}
	dir, err := downloadsDir()
	if err != nil {
		return ReportFile{}, fail(err, "save report")
	}
	path, err := writeNew(dir, r.fileName(), []byte(html))
	if err != nil {
		return ReportFile{}, fail(err, "save report")
	}
	return ReportFile{Name: filepath.Base(path), Path: path, Bytes: len(html)}, nil
}

func (r *Reports) build(req ReportRequest) (string, error) {
	if req.Days < 0 {
		return "", fmt.Errorf("days %d: %w", req.Days, ErrInvalid)
	}
	seg, err := workspace.ParseSegment(req.Segment)
	if err != nil {
		return "", err
	}
	opt := report.Options{Title: strings.TrimSpace(req.Title), Segment: seg, Funnel: req.Steps, LinkBase: req.LinkBase,
		Now: r.now(), Days: req.Days}
	page, err := report.Build(r.ctx, r.db, opt)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := report.Write(&b, page); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (r *Reports) fileName() string {
	return "loupe-report-" + r.now().Format("2006-01-02-1504") + ".html"
}

// downloadsDir is where the window saves files for the user, made if
// missing.
func downloadsDir() (string, error) {
	dir := os.Getenv("XDG_DOWNLOAD_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the downloads folder: %w", err)
		}
		dir = filepath.Join(home, "Downloads")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("downloads folder: %w", err)
	}
	return dir, nil
}

// writeNew writes data under name in dir, adding " (2)", " (3)" … rather
// than replacing an earlier file.
func writeNew(dir, name string, data []byte) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		p := filepath.Join(dir, name)
		if i > 1 {
			p = filepath.Join(dir, fmt.Sprintf("%s (%d)%s", stem, i, ext))
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("write %s: %w", p, err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(p)
			return "", fmt.Errorf("write %s: %w", p, err)
		}
		if err := f.Close(); err != nil {
			os.Remove(p)
			return "", fmt.Errorf("write %s: %w", p, err)
		}
		return p, nil
	}
	return "", fmt.Errorf("write %s: %w: too many files of that name", name, ErrConflict)
}
