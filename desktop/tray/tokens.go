package tray

import (
	"errors"
	"fmt"
	"sync"

	"github.com/zalando/go-keyring"
)

// keyringService is the service name collector tokens are filed under in
// the OS keyring (Secret Service on Linux, Credential Manager on Windows,
// Keychain on macOS).
const keyringService = "Loupe collector token"

// Keyring is where collector tokens are kept, one per source name. The
// tray never writes a token into the workspace.
type Keyring interface {
	Get(source string) (string, error)
	Set(source, token string) error
}

// ErrNoToken is returned when no token is known for a source.
var ErrNoToken = errors.New("no collector token saved")

// OSKeyring keeps tokens in the operating system's keyring.
type OSKeyring struct{}

// Get reads the token saved for source.
func (OSKeyring) Get(source string) (string, error) {
	tok, err := keyring.Get(keyringService, source)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNoToken
	}
	if err != nil {
		return "", fmt.Errorf("read the keyring: %w", err)
	}
	return tok, nil
}

// Set saves the token for source.
func (OSKeyring) Set(source, token string) error {
	if err := keyring.Set(keyringService, source, token); err != nil {
		return fmt.Errorf("save to the keyring: %w", err)
	}
	return nil
}

// Tokens finds the collector token of each source: in the OS keyring when
// one answers, otherwise in memory only, for as long as the tray runs (the
// next start asks again). It never stores a token anywhere else.
type Tokens struct {
	keyring Keyring

	mu     sync.Mutex
	memory map[string]string
	noRing error // why the keyring could not be used; nil when it works
	fallbk string
}

// NewTokens uses ring (OSKeyring{} in the app); fallback is the token
// given on the command line or in $LOUPE_TOKEN, used for every source that
// has none of its own.
func NewTokens(ring Keyring, fallback string) *Tokens {
	return &Tokens{keyring: ring, memory: map[string]string{}, fallbk: fallback}
}

// Probe asks the keyring once whether it answers, so the tray can say at
// start, rather than at the first sync, that tokens stay in memory.
func (t *Tokens) Probe() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.noRing != nil {
		return
	}
	if _, err := t.keyring.Get("probe"); err != nil && !errors.Is(err, ErrNoToken) {
		t.noRing = err
	}
}

// Token returns the token for source: remembered in memory, then the
// keyring, then the fallback. A fallback token is offered to the keyring
// once, so the next start finds it there.
func (t *Tokens) Token(source string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tok, ok := t.memory[source]; ok {
		return tok
	}
	if t.noRing == nil {
		tok, err := t.keyring.Get(source)
		switch {
		case err == nil:
			t.memory[source] = tok
			return tok
		case !errors.Is(err, ErrNoToken):
			t.noRing = err
		}
	}
	if t.fallbk == "" {
		return ""
	}
	t.remember(source, t.fallbk)
	return t.fallbk
}

// Set gives source a token (typed by the analyst) and saves it in the
// keyring when one answers.
func (t *Tokens) Set(source, token string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.remember(source, token)
}

func (t *Tokens) remember(source, token string) {
	t.memory[source] = token
	if t.noRing != nil {
		return
	}
	if err := t.keyring.Set(source, token); err != nil {
		t.noRing = err
	}
}

// Note says plainly where tokens are kept when the keyring does not work;
// "" when it does.
func (t *Tokens) Note() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.noRing == nil {
		return ""
	}
	return "No keyring reachable: the collector token is kept in memory only and asked for again at the next start"
}
