package pull

import (
	"context"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/source"
)

// recordQuotas keeps the source's site quotas in the workspace, for the
// Sync view to show how close each site is to its monthly limit. Sources
// without quotas (buckets, folders) are left alone.
func recordQuotas(ctx context.Context, src source.Source, db *workspace.DB, name string) ([]workspace.SiteQuota, error) {
	qr, ok := src.(source.QuotaReporter)
	if !ok {
		return nil, nil
	}
	sites, err := qr.SiteQuotas(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	for i := range sites {
		sites[i].CheckedAt = now
	}
	return sites, db.SetSiteQuotas(ctx, name, sites)
}
