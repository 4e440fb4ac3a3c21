package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
)

// AssetPrefix starts the key of every stored page asset. Archive keys may
// not start with it (ValidateKey), so assets and archives share a store
// root without ever being mistaken for one another.
const AssetPrefix = "assets/"

// AssetRef is one entry of an archive's asset manifest: a URL the recorded
// page used and either the digest of the bytes kept for it or the reason
// none were kept.
type AssetRef struct {
	URL     string `json:"url"`
	SHA256  string `json:"sha256,omitempty"`
	Type    string `json:"type,omitempty"`
	Size    int64  `json:"size,omitempty"`
	Missing string `json:"missing,omitempty"`
}

// AssetData is the bytes of one asset carried inside an archive (a data
// line), for files that travel without their store.
type AssetData struct {
	SHA256 string `json:"sha256"`
	Type   string `json:"type"`
	Data   []byte `json:"data"`
}

// AssetStore keeps page assets by content, next to the archives that list
// them. Keys are AssetKey(sha256); a Store's List never returns them.
type AssetStore interface {
	// HasAsset reports whether the bytes with this digest are stored.
	HasAsset(ctx context.Context, sha256 string) (bool, error)
	// OpenAsset streams stored bytes; a missing asset gives an error
	// matching fs.ErrNotExist.
	OpenAsset(ctx context.Context, sha256 string) (io.ReadCloser, error)
	// PutAsset stores r atomically under its digest. size is its length or
	// -1 when unknown. Putting the same bytes again succeeds; bytes that do
	// not hash to sha256 (or a malformed digest) give ErrDigestMismatch and
	// store nothing.
	PutAsset(ctx context.Context, sha256 string, r io.Reader, size int64) error
}

// AssetKey is the store key of the asset with this digest:
// assets/<first two hex digits>/<digest>, so no folder grows past 256
// entries per level of fan-out.
func AssetKey(sha256 string) string {
	return AssetPrefix + sha256[:2] + "/" + sha256
}

// SumAsset is the lowercase hex SHA-256 of b, the name of an asset.
func SumAsset(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// CheckAssetPut is what every AssetStore's PutAsset checks before it
// touches storage: a well-formed digest and a live context.
func CheckAssetPut(ctx context.Context, sha256 string) error {
	if err := ValidateDigest(sha256); err != nil {
		return fmt.Errorf("put asset: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put asset %s: %w", sha256, err)
	}
	return nil
}

// SortAssets returns a copy of refs sorted by URL, the manifest order.
func SortAssets(refs []AssetRef) []AssetRef {
	out := append([]AssetRef{}, refs...)
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}

// checkManifest checks refs as a manifest line must hold them: strictly
// ascending non-empty URLs, and each entry either a stored asset (a valid
// digest, no reason) or a missing one (a reason, no digest).
func checkManifest(refs []AssetRef) error {
	for i, a := range refs {
		if a.URL == "" {
			return fmt.Errorf("asset %d has no url", i)
		}
		if i > 0 && refs[i-1].URL >= a.URL {
			return fmt.Errorf("asset %q is out of order or repeated", a.URL)
		}
		if a.Size < 0 {
			return fmt.Errorf("asset %q has a negative size", a.URL)
		}
		switch {
		case a.SHA256 != "" && a.Missing != "":
			return fmt.Errorf("asset %q has both a sha256 and a missing reason", a.URL)
		case a.SHA256 == "" && a.Missing == "":
			return fmt.Errorf("asset %q has neither a sha256 nor a missing reason", a.URL)
		case a.SHA256 != "":
			if err := ValidateDigest(a.SHA256); err != nil {
				return fmt.Errorf("asset %q: %v", a.URL, err)
			}
		}
	}
	return nil
}

// checkAssetData checks one data line against the manifest and the data
// line before it (prev, "" for the first).
func checkAssetData(d AssetData, listed map[string]bool, prev string) error {
	if err := ValidateDigest(d.SHA256); err != nil {
		return fmt.Errorf("asset data: %v", err)
	}
	if !listed[d.SHA256] {
		return fmt.Errorf("asset data %s is not in the manifest", d.SHA256)
	}
	if d.SHA256 <= prev {
		return fmt.Errorf("asset data %s is out of order or repeated", d.SHA256)
	}
	if got := SumAsset(d.Data); got != d.SHA256 {
		return fmt.Errorf("asset data %s hashes to %s", d.SHA256, got)
	}
	return nil
}

// manifestLine is the JSON shape of the manifest line.
type manifestLine struct {
	Assets []AssetRef `json:"assets"`
}

// dataLine is the JSON shape of a data line.
type dataLine struct {
	AssetData *AssetData `json:"asset_data"`
}
