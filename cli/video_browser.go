package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loupe-dev/loupe/assets"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop"
)

// errNoChromium says plainly why no video can be made here.
var errNoChromium = errors.New("making a video needs Chromium or Google Chrome, and none was found " +
	"(looked for $LOUPE_CHROMIUM, /usr/bin/chromium, chromium-browser, chromium, google-chrome); install one or set LOUPE_CHROMIUM to its path")

// findChromium returns the path of a Chromium-family browser: the one
// $LOUPE_CHROMIUM names, else the usual names on PATH.
func findChromium() (string, error) {
	if p := os.Getenv("LOUPE_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("LOUPE_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium-browser", "chromium", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errNoChromium
}

// frameServer serves the workbench (browser mode, with its launch key) on
// a loopback port for the headless browser to render frames from; it
// lives only as long as the video is being made.
type frameServer struct {
	url string // the address with the key, without a view
	hs  *http.Server
}

func startFrameServer(db *workspace.DB) (*frameServer, error) {
	srv, err := desktop.NewServer(assets.Workbench(), desktop.Bindings(db)...)
	if err != nil {
		return nil, fmt.Errorf("video: %w", err)
	}
	srv.HandleAssets(db)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("video: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return &frameServer{url: srv.URL(ln.Addr().String()), hs: hs}, nil
}

func (f *frameServer) close() { _ = f.hs.Close() }

// frameRenderer drives a headless browser showing one session's replay
// at given moments (the workbench's #/frame/{id} page).
type frameRenderer struct {
	ctx    context.Context
	cancel func()
	total  int64 // the replay's length in ms
}

// openFrames starts the browser at width×height and loads session id.
func openFrames(ctx context.Context, chromium, base, id string, width, height int) (*frameRenderer, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.WindowSize(width, height),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-device-scale-factor", "1"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	r := &frameRenderer{ctx: bctx, cancel: func() { cancelBrowser(); cancelAlloc() }}
	err := chromedp.Do(bctx,
		chromedp.EmulateViewport(int64(width), int64(height)),
		chromedp.Navigate(base+"#/frame/"+url.PathEscape(id)),
	)
	if err != nil {
		r.cancel()
		return nil, fmt.Errorf("video: start %s: %w", chromium, err)
	}
	state, err := chromedp.Run(bctx, chromedp.Poll[any](
		`document.querySelector('[data-frame-ready]') ? 'ready' : (document.querySelector('[data-frame-error]')?.getAttribute('data-frame-error') || false)`,
		chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		r.cancel()
		return nil, fmt.Errorf("video: open the replay: %w", err)
	}
	if state != "ready" {
		r.cancel()
		return nil, fmt.Errorf("video: session %s cannot be replayed: %v", id, state)
	}
	if r.total, err = chromedp.Run(bctx, chromedp.Evaluate[int64](`window.loupeFrame.total`)); err != nil {
		r.cancel()
		return nil, fmt.Errorf("video: %w", err)
	}
	return r, nil
}

// frame shows the replay at ms and returns a PNG of the page.
func (r *frameRenderer) frame(ms int64) ([]byte, error) {
	if _, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](fmt.Sprintf("window.loupeFrame.seek(%d).then(() => true)", ms), chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("video: frame at %d ms: %w", ms, err)
	}
	png, err := chromedp.Run(r.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, fmt.Errorf("video: frame at %d ms: %w", ms, err)
	}
	return png, nil
}

func (r *frameRenderer) close() { r.cancel() }
