package collector

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// validCollectorID keeps collector ids safe in archive keys and file names.
func validCollectorID(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// loadOrCreateSecret returns the trimmed content of DATA/name, creating it
// durably with nbytes random bytes in hex (mode 0600) on first use. The
// value must stay the same across restarts: the collector id is in every
// archive key and the token is configured in analysts' workspaces.
func loadOrCreateSecret(dataDir, name string, nbytes int, valid func(string) bool) (string, error) {
	path := filepath.Join(dataDir, name)
	b, err := os.ReadFile(path)
	if err == nil {
		v := strings.TrimSpace(string(b))
		if !valid(v) {
			return "", fmt.Errorf("%s holds an invalid value; delete it to make a new one", path)
		}
		return v, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", name, err)
	}
	raw := make([]byte, nbytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("make %s: %w", name, err)
	}
	v := hex.EncodeToString(raw)
	if err := writeFileDurable(path, []byte(v+"\n"), 0o600); err != nil {
		return "", err
	}
	return v, nil
}

func validToken(s string) bool { return len(s) >= 16 && !strings.ContainsAny(s, " \t\r\n") }
