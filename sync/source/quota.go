package source

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/workspace"
)

// QuotaReporter is implemented by sources that know their sites' monthly
// session quotas (a collector, through GET /v1/status).
type QuotaReporter interface {
	SiteQuotas(ctx context.Context) ([]workspace.SiteQuota, error)
}

// statusBody is the part of GET /v1/status a sync keeps.
type statusBody struct {
	Sites []workspace.SiteQuota `json:"sites"`
}

// SiteQuotas reads each site's quota state from the collector's status. A
// collector from before quotas lists no sites.
func (c *collector) SiteQuotas(ctx context.Context) ([]workspace.SiteQuota, error) {
	resp, err := c.get(ctx, c.endpoint("/v1/status", nil))
	if err != nil {
		return nil, fmt.Errorf("read site quotas: %w", unreachable(c.base.Host, err))
	}
	defer resp.Body.Close()
	if err := statusError(resp, "read site quotas"); err != nil {
		return nil, err
	}
	var body statusBody
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return nil, fmt.Errorf("read site quotas: unreadable answer from the collector: %w", err)
	}
	return body.Sites, nil
}
