package reword

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrDisabled is returned by Reword when no URL is configured.
var ErrDisabled = errors.New("rewording is off: no model URL configured")

// ErrUnfaithful is returned when the model's text drops a number of the
// evidence or grows past a sane length: a rewording must not change facts.
var ErrUnfaithful = errors.New("reworded text does not keep the evidence")

// DefaultTimeout bounds one rewording; a local model that is slower than
// this is skipped and the deterministic text is kept.
const DefaultTimeout = 20 * time.Second

// maxResponse bounds what is read from the model server.
const maxResponse = 1 << 20

// Config configures the model endpoint. The zero Config is off.
type Config struct {
	// URL is the server's base URL (http://127.0.0.1:8080 for llama.cpp,
	// http://127.0.0.1:11434 for Ollama); a trailing /v1 is accepted.
	URL string `json:"url"`
	// Model is sent as the request's model name (Ollama needs one).
	Model string `json:"model"`
	// Timeout bounds one request; 0 means DefaultTimeout.
	Timeout time.Duration `json:"timeout"`
}

// Client rewords briefs through an OpenAI-compatible chat endpoint.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a client for cfg. A client for the zero Config is valid and
// disabled.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	cfg.URL = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(cfg.URL), "/"), "/v1")
	return &Client{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout}}
}

// Enabled tells whether a model URL is configured.
func (c *Client) Enabled() bool { return c != nil && c.cfg.URL != "" }

// systemPrompt tells the model its only job. The numbers check in Reword
// enforces the part that matters.
const systemPrompt = "You reword short analytics findings for a product team. " +
	"Rewrite the sentences in plain, friendly English, in at most three sentences. " +
	"Keep every number exactly as given. Do not add facts, names or advice that are not in the input. " +
	"Answer with the sentences only."

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	Temperature float64       `json:"temperature"`
	MaxTokens   int           `json:"max_tokens"`
	Stream      bool          `json:"stream"`
}

type chatResponse struct {
	Choices []struct {
		Message chatMessage `json:"message"`
	} `json:"choices"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// Reword sends the brief and returns the model's wording. It fails when
// rewording is off, the server is slow, broken or answers nonsense, or the
// answer drops a number of the evidence.
func (c *Client) Reword(ctx context.Context, b Brief) (string, error) {
	if !c.Enabled() {
		return "", ErrDisabled
	}
	if err := b.Validate(); err != nil {
		return "", fmt.Errorf("reword: %w", err)
	}
	brief, err := json.Marshal(b)
	if err != nil {
		return "", fmt.Errorf("reword: encode brief: %w", err)
	}
	model := c.cfg.Model
	if model == "" {
		model = "local"
	}
	body, err := json.Marshal(chatRequest{
		Model:       model,
		Messages:    []chatMessage{{"system", systemPrompt}, {"user", string(brief)}},
		Temperature: 0.2,
		MaxTokens:   300,
	})
	if err != nil {
		return "", fmt.Errorf("reword: encode request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.URL+"/v1/chat/completions", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("reword: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("reword: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return "", fmt.Errorf("reword: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("reword: model server answered %s", resp.Status)
	}
	return decodeAnswer(raw, b)
}

// decodeAnswer reads a chat completion (untrusted bytes) and checks that
// its text keeps the brief's evidence.
func decodeAnswer(raw []byte, b Brief) (string, error) {
	var cr chatResponse
	if err := json.Unmarshal(raw, &cr); err != nil {
		return "", fmt.Errorf("reword: decode answer: %w", err)
	}
	if cr.Error != nil {
		return "", fmt.Errorf("reword: model server: %s", cr.Error.Message)
	}
	if len(cr.Choices) == 0 {
		return "", errors.New("reword: answer has no choices")
	}
	text := strings.TrimSpace(cr.Choices[0].Message.Content)
	if err := faithful(text, b); err != nil {
		return "", err
	}
	return text, nil
}

// RewordOrKeep rewords when it can and otherwise returns the brief's own
// deterministic text; reworded tells which, and err why not (nil when off).
func (c *Client) RewordOrKeep(ctx context.Context, b Brief) (text string, reworded bool, err error) {
	t, err := c.Reword(ctx, b)
	if err != nil {
		if errors.Is(err, ErrDisabled) {
			err = nil
		}
		return b.Text(), false, err
	}
	return t, true, nil
}

// faithful checks that a rewording is non-empty, short, and mentions every
// figure's number in one of its usual spellings.
func faithful(text string, b Brief) error {
	if text == "" {
		return fmt.Errorf("%w: empty", ErrUnfaithful)
	}
	if len(text) > 4*len(b.Text())+600 {
		return fmt.Errorf("%w: %d bytes for a %d-byte draft", ErrUnfaithful, len(text), len(b.Text()))
	}
	for _, f := range b.Figures {
		if !mentions(text, f.Value) {
			return fmt.Errorf("%w: %s (%s) is missing", ErrUnfaithful, f.Label.s, Number(f.Value))
		}
	}
	return nil
}

// Number formats a figure the way drafts print it: integers plain, others
// with at most one decimal.
func Number(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func mentions(text string, v float64) bool {
	forms := []string{Number(v)}
	if v == math.Trunc(v) && math.Abs(v) >= 1000 {
		forms = append(forms, commaThousands(int64(v)))
	}
	for _, f := range forms {
		if strings.Contains(text, f) {
			return true
		}
	}
	return false
}

func commaThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
