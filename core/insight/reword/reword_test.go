package reword

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func mustText(t testing.TB, s string) Text {
	t.Helper()
	x, err := NewText(s)
	if err != nil {
		t.Fatalf("NewText(%q): %v", s, err)
	}
	return x
}

func sampleBrief(t testing.TB) Brief {
	return Brief{
		Title: mustText(t, "Mobile visitors drop off at /checkout"),
		Sentences: []Text{
			mustText(t, "Of 412 sessions that reached /checkout, 61% left without paying."),
			mustText(t, "Mobile visitors are 3.2x more likely to leave there than desktop visitors."),
		},
		Figures: []Figure{
			{Label: mustText(t, "sessions at /checkout"), Value: 412, Unit: "sessions"},
			{Label: mustText(t, "drop-off rate"), Value: 61, Unit: "%"},
			{Label: mustText(t, "mobile lift"), Value: 3.2, Unit: "x"},
		},
	}
}

func TestNewText(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"Mobile visitors drop off at /checkout 3x more often", true},
		{"js_errors rose by 40% on /products/espresso-machine", true},
		{"rage_clicks on button.add-to-cart", true},
		{"Session s_x7k2ab91 shows it", false},
		{"visitor v_Q3mZ8a0bcd left", false},
		{"mail anna@example.com", false},
		{"https://shop.example/checkout?coupon=SAVE10", false},
		{"/search?q=shoes", false},
		{"id 0f8fad5b-d9cb-469f-a165-70867728950e", false},
		{"from 192.168.1.20", false},
		{"token a8Fj3kL0pQ9zX2cV7bN", false},
		{strings.Repeat("word ", 100), false},
	}
	for _, tt := range tests {
		_, err := NewText(tt.in)
		if got := err == nil; got != tt.ok {
			t.Errorf("NewText(%q) accepted = %v, want %v (err %v)", tt.in, got, tt.ok, err)
		}
		if !tt.ok && len(tt.in) <= maxText && !errors.Is(err, ErrPersonal) {
			t.Errorf("NewText(%q) error = %v, want ErrPersonal", tt.in, err)
		}
	}
}

// chatServer answers like an OpenAI-compatible server with the given
// content, after checking the request and recording the brief it got.
func chatServer(t *testing.T, content string, got *Brief) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			t.Errorf("request %s %s, want POST /v1/chat/completions", r.Method, r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("content type %q", ct)
		}
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("decode request: %v", err)
		}
		if len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
			t.Errorf("messages = %+v, want system then user", req.Messages)
		} else if got != nil {
			var raw struct {
				Title     string   `json:"title"`
				Sentences []string `json:"sentences"`
			}
			if err := json.Unmarshal([]byte(req.Messages[1].Content), &raw); err != nil {
				t.Errorf("user message is not a brief: %v", err)
			}
			got.Title = Text{s: raw.Title}
		}
		json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion",
			"choices": []any{map[string]any{"index": 0, "message": map[string]string{"role": "assistant", "content": content}, "finish_reason": "stop"}},
		})
	}))
}

func TestRewordAgainstServer(t *testing.T) {
	want := "412 sessions reached checkout and 61% of them left. People on phones were 3.2x likelier to go."
	var got Brief
	srv := chatServer(t, want, &got)
	defer srv.Close()
	c := New(Config{URL: srv.URL + "/v1/", Model: "qwen", Timeout: 5 * time.Second})
	text, reworded, err := c.RewordOrKeep(context.Background(), sampleBrief(t))
	if err != nil || !reworded || text != want {
		t.Fatalf("RewordOrKeep = %q, %v, %v; want %q, true, nil", text, reworded, err, want)
	}
	if got.Title.s != "Mobile visitors drop off at /checkout" {
		t.Errorf("server saw title %q", got.Title.s)
	}
}

func TestRewordFallsBack(t *testing.T) {
	b := sampleBrief(t)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release) // runs first: lets the handler return so Close does not wait
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "model not loaded", http.StatusInternalServerError)
	}))
	defer broken.Close()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html>not json")
	}))
	defer garbage.Close()
	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"choices":[]}`)
	}))
	defer empty.Close()
	apiErr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"error":{"message":"context length exceeded"}}`)
	}))
	defer apiErr.Close()
	dropsNumber := chatServer(t, "Lots of people left checkout, mostly on phones.", nil)
	defer dropsNumber.Close()
	blank := chatServer(t, "   ", nil)
	defer blank.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()

	tests := []struct {
		name, url string
		wantErr   error
	}{
		{"slow", slow.URL, nil},
		{"500", broken.URL, nil},
		{"not json", garbage.URL, nil},
		{"no choices", empty.URL, nil},
		{"api error", apiErr.URL, nil},
		{"drops a number", dropsNumber.URL, ErrUnfaithful},
		{"blank", blank.URL, ErrUnfaithful},
		{"connection refused", goneURL, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Config{URL: tt.url, Timeout: 300 * time.Millisecond})
			text, reworded, err := c.RewordOrKeep(context.Background(), b)
			if err == nil || reworded {
				t.Fatalf("RewordOrKeep reworded = %v, err = %v; want a fallback with an error", reworded, err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if text != b.Text() {
				t.Errorf("fallback text = %q, want the deterministic %q", text, b.Text())
			}
		})
	}
}

func TestOffByDefault(t *testing.T) {
	c := New(Config{})
	if c.Enabled() {
		t.Fatal("zero Config is enabled")
	}
	b := sampleBrief(t)
	text, reworded, err := c.RewordOrKeep(context.Background(), b)
	if err != nil || reworded || text != b.Text() {
		t.Fatalf("RewordOrKeep = %q, %v, %v; want deterministic text, false, nil", text, reworded, err)
	}
	if _, err := c.Reword(context.Background(), b); !errors.Is(err, ErrDisabled) {
		t.Errorf("Reword err = %v, want ErrDisabled", err)
	}
}

func TestValidate(t *testing.T) {
	b := sampleBrief(t)
	b.Figures[0].Unit = "visitor s_x7k2ab91"
	if err := b.Validate(); err == nil {
		t.Error("Validate accepted free text in a unit")
	}
	if err := (Brief{}).Validate(); err == nil {
		t.Error("Validate accepted a brief without title")
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		text string
		v    float64
		want bool
	}{
		{"about 1,204 sessions", 1204, true},
		{"about 1204 sessions", 1204, true},
		{"3.2x as likely", 3.2, true},
		{"3x as likely", 3.2, false},
		{"61 percent", 61, true},
	}
	for _, tt := range tests {
		if got := mentions(tt.text, tt.v); got != tt.want {
			t.Errorf("mentions(%q, %v) = %v, want %v", tt.text, tt.v, got, tt.want)
		}
	}
}

func FuzzDecodeAnswer(f *testing.F) {
	f.Add([]byte(`{"choices":[{"message":{"role":"assistant","content":"412 61 3.2"}}]}`))
	f.Add([]byte(`{"error":{"message":"x"}}`))
	f.Add([]byte(`{"choices":[{}]}`))
	f.Add([]byte(`null`))
	b := sampleBrief(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		text, err := decodeAnswer(raw, b)
		if err == nil {
			for _, fig := range b.Figures {
				if !mentions(text, fig.Value) {
					t.Fatalf("accepted %q without %v", text, fig.Value)
				}
			}
		}
	})
}
