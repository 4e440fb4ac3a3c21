package alert

import (
	"encoding/json"
	"testing"
)

// FuzzRuleJSON feeds stored rule specs (read back from a workspace file,
// which may come from anywhere) to the decoder and the validator: neither
// may panic, and a rule that validates must survive a round trip.
func FuzzRuleJSON(f *testing.F) {
	f.Add([]byte(`{"name":"e","metric":"error_rate","condition":"above","threshold":5,"period":"24h","enabled":true}`))
	f.Add([]byte(`{"name":"c","metric":"conversion","funnel":["page:/cart","page:/thanks"],"condition":"falls_by","threshold":20}`))
	f.Add([]byte(`{"name":"s","metric":"segment_count","segment":"device = mobile","condition":"below","threshold":1,"period":86400000000000}`))
	f.Add([]byte(`{"period":"-1h"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var r Rule
		if err := json.Unmarshal(raw, &r); err != nil {
			return
		}
		if r.Validate() != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("marshal valid rule: %v", err)
		}
		var back Rule
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		if err := back.Validate(); err != nil {
			t.Fatalf("rule valid before a round trip, not after: %v", err)
		}
	})
}
