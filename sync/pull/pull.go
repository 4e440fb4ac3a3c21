// Package pull is the sync engine and import pipeline: it brings archives
// from a source (collector, bucket, folder) or from files into a
// workspace, verifying each, importing each in one transaction, and
// setting aside what cannot be read. It is resumable and idempotent: a run
// cut off halfway is finished by the next, and nothing imports twice.
package pull

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Progress is reported after every archive or file.
type Progress struct {
	// Total is how many archives or files are known so far (a sync learns
	// more as it lists page after page).
	Total       int    `json:"total"`
	Done        int    `json:"done"`
	Imported    int    `json:"imported"`
	Skipped     int    `json:"skipped"`
	Quarantined int    `json:"quarantined"`
	Failed      int    `json:"failed"`
	Bytes       int64  `json:"bytes"`
	Events      int    `json:"events"`
	Current     string `json:"current"` // key or path just handled
	// Page assets so far: fetched from the source (and their bytes), and
	// references already in the workspace (deduplicated).
	AssetsFetched int   `json:"assets_fetched"`
	AssetBytes    int64 `json:"asset_bytes"`
	AssetsPresent int   `json:"assets_present"`
}

// Problem is one archive or file that was not imported, and why.
type Problem struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
	// KeptAt is where a quarantined archive was set aside, if anywhere.
	KeptAt string `json:"kept_at,omitempty"`
}

// ErrDigestMismatch: the downloaded bytes do not match the digest or size
// the source listed (tampered or cut off in transit).
var ErrDigestMismatch = errors.New("archive does not match its listed sha256 or size")

// quarantineDir is where unreadable archives of a workspace are kept.
func quarantineDir(workspacePath string) string {
	return workspacePath + ".quarantine"
}

// keepAside puts a bad archive's bytes (a downloaded file, or bytes held
// in memory) into the quarantine folder under a name made from its key,
// and returns the new path ("" if there was nothing to keep or it failed:
// the workspace record still says why).
func keepAside(dir, tmpPath string, data []byte, key string) string {
	if tmpPath == "" && data == nil {
		return ""
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	name := strings.NewReplacer("/", "_", "\\", "_", ":", "_").Replace(key)
	dst := filepath.Join(dir, time.Now().UTC().Format("20060102T150405.000")+"-"+name)
	if tmpPath != "" {
		if err := os.Rename(tmpPath, dst); err != nil {
			return ""
		}
		return dst
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return ""
	}
	return dst
}

// describe turns an error into a reason a user can read in a report.
func describe(err error) string {
	return fmt.Sprint(err)
}
