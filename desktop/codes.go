package desktop

import (
	"errors"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/ask"
	"github.com/loupe-dev/loupe/core/dashboard"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/report"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// The core sentinels the bindings meet, mapped onto UI codes.
func init() {
	registerCodes(func(err error) string {
		switch {
		case errors.Is(err, workspace.ErrNotFound), errors.Is(err, dashboard.ErrUnknownTemplate):
			return CodeNotFound
		case errors.Is(err, workspace.ErrBadQuery), errors.Is(err, workspace.ErrInvalidSession),
			errors.Is(err, segment.ErrSyntax), errors.Is(err, segment.ErrInvalidJSON),
			errors.Is(err, archive.ErrCorrupt), errors.Is(err, archive.ErrTruncated),
			errors.Is(err, archive.ErrUnsupportedVersion), errors.Is(err, funnel.ErrInvalidQuery),
			errors.Is(err, step.ErrInvalid), errors.Is(err, heatmap.ErrInvalidQuery),
			errors.Is(err, workspace.ErrInvalidName), errors.Is(err, alert.ErrInvalidRule),
			errors.Is(err, ask.ErrEmpty), errors.Is(err, report.ErrInvalidOption),
			errors.Is(err, dashboard.ErrInvalid):
			return CodeInvalid
		}
		return ""
	})
}
