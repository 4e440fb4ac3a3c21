package archive

import (
	"fmt"
	"strings"
)

// KeySuffix ends every archive key.
const KeySuffix = ".loupe"

// MaxKeyLen bounds a key; S3 object names stop at 1024 bytes and a store
// prefix needs some of them.
const MaxKeyLen = 512

// ValidateKey checks that key is safe to use as a path below a store root
// and as an object name: slash-separated segments of [A-Za-z0-9._=+-], no
// empty segment, no segment starting with "." (which also rules out "." and
// ".." and leaves dot-names free for a backend's temporary files), no
// leading slash, the ".loupe" suffix on the last segment and on no other, and
// no first segment "assets" (that folder holds page assets). The character set is small on
// purpose so that byte order, file order and S3 order agree on every
// platform. Errors match ErrInvalidKey.
func ValidateKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty key", ErrInvalidKey)
	}
	if len(key) > MaxKeyLen {
		return fmt.Errorf("%w: key is %d bytes, over %d", ErrInvalidKey, len(key), MaxKeyLen)
	}
	if !strings.HasSuffix(key, KeySuffix) {
		return fmt.Errorf("%w: key %q does not end in %q", ErrInvalidKey, key, KeySuffix)
	}
	segs := strings.Split(key, "/")
	if segs[0]+"/" == AssetPrefix {
		return fmt.Errorf("%w: key %q is under %q, where page assets live", ErrInvalidKey, key, AssetPrefix)
	}
	for i, seg := range segs {
		if i < len(segs)-1 && strings.HasSuffix(seg, KeySuffix) {
			// A folder named like an archive would clash with the archive
			// of that name in a file store.
			return fmt.Errorf("%w: key %q has a folder segment ending in %q", ErrInvalidKey, key, KeySuffix)
		}
		if seg == "" {
			return fmt.Errorf("%w: key %q has an empty path segment or a leading slash", ErrInvalidKey, key)
		}
		if seg[0] == '.' {
			return fmt.Errorf("%w: key %q has a segment starting with a dot", ErrInvalidKey, key)
		}
		for i := 0; i < len(seg); i++ {
			if !keyByte(seg[i]) {
				return fmt.Errorf("%w: key %q has the character %q", ErrInvalidKey, key, seg[i])
			}
		}
	}
	return nil
}

func keyByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '.', c == '_', c == '-', c == '=', c == '+':
		return true
	}
	return false
}

// ValidateDigest checks that sum is a lowercase hex SHA-256 digest, as Put
// expects. Errors match ErrDigestMismatch.
func ValidateDigest(sum string) error {
	if len(sum) != 64 {
		return fmt.Errorf("%w: sha256 %q is not 64 hex digits", ErrDigestMismatch, sum)
	}
	for i := 0; i < len(sum); i++ {
		c := sum[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return fmt.Errorf("%w: sha256 %q is not lowercase hex", ErrDigestMismatch, sum)
		}
	}
	return nil
}
