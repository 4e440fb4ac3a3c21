package desktop

import (
	"testing"

	"github.com/loupe-dev/loupe/core/workspace"
)

func TestSyncSourcesListSiteQuotas(t *testing.T) {
	db := newWorkspace(t)
	s := NewSync(db, nil)
	if v, err := s.Sources(); err != nil || v.Quotas == nil || len(v.Quotas) != 0 {
		t.Fatalf("before any quota: %+v, %v; want an empty list", v.Quotas, err)
	}
	if err := db.SetSiteQuotas(t.Context(), "http://collector:8787", []workspace.SiteQuota{
		{Site: "demo", Month: "2026-12", Sessions: 8120, Limit: 10000, WarnAt: 0.8, SampleRate: 1, Warned: true},
	}); err != nil {
		t.Fatal(err)
	}
	v, err := s.Sources()
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Quotas) != 1 || v.Quotas[0].Source != "http://collector:8787" || v.Quotas[0].Sessions != 8120 || !v.Quotas[0].Warned {
		t.Errorf("quotas %+v; want demo's 8120 of 10000, warned, from the collector", v.Quotas)
	}
}
