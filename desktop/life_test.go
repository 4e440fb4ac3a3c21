package desktop

import (
	"context"
	"database/sql/driver"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"modernc.org/sqlite"

	"github.com/loupe-dev/loupe/core/workspace"
)

// spin backs the SQL function loupe_test_spin(n), which lets a test make a
// real query as slow as it wants: it is true until the test's deadline and
// tells the test, once, that the query has begun.
var spin struct {
	mu      sync.Mutex
	started chan struct{}
	until   time.Time
}

func init() {
	sqlite.MustRegisterScalarFunction("loupe_test_spin", 1, func(*sqlite.FunctionContext, []driver.Value) (driver.Value, error) {
		spin.mu.Lock()
		defer spin.mu.Unlock()
		if spin.started != nil {
			close(spin.started)
			spin.started = nil
		}
		return time.Now().Before(spin.until), nil
	})
}

// slowSettings makes every read of db's settings table spin until its
// context ends (or a minute passes, so a broken cancel fails instead of
// hanging): the table becomes a view over itself that counts without end.
// It returns a channel closed when such a read has started.
func slowSettings(t *testing.T, db *workspace.DB) <-chan struct{} {
	t.Helper()
	for _, stmt := range []string{
		`ALTER TABLE settings RENAME TO settings_kept`,
		`CREATE VIEW settings AS
			WITH RECURSIVE counting(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM counting WHERE loupe_test_spin(n))
			SELECT key, value FROM (SELECT max(n) AS m FROM counting) AS spun CROSS JOIN settings_kept WHERE spun.m >= 0`,
	} {
		if _, err := db.DB().ExecContext(t.Context(), stmt); err != nil {
			t.Fatalf("make settings slow: %v", err)
		}
	}
	started := make(chan struct{})
	spin.mu.Lock()
	spin.started, spin.until = started, time.Now().Add(time.Minute)
	spin.mu.Unlock()
	t.Cleanup(func() {
		spin.mu.Lock()
		spin.started, spin.until = nil, time.Time{}
		spin.mu.Unlock()
	})
	return started
}

// A browser-mode request the browser abandons stops its query: the call
// runs under the request's context, not a context that never ends.
func TestCancelledRequestStopsItsQuery(t *testing.T) {
	db := newWorkspace(t)
	life := NewLife(t.Context())
	defer life.Close()
	srv, err := NewServer(fstest.MapFS{"index.html": {Data: []byte("x")}}, BindingsWith(db, Options{Life: life})...)
	if err != nil {
		t.Fatal(err)
	}
	answered := make(chan int, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		answered <- rec.Code
	}))
	defer ts.Close()
	started := slowSettings(t, db)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/api/Settings/Get", strings.NewReader("[]"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: cookieName(req.Host), Value: srv.Key()})
	sent := make(chan error, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		sent <- err
	}()
	select {
	case <-started:
	case err := <-sent:
		t.Fatalf("the request ended before its query started: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the settings query never started")
	}
	cancel()
	if err := <-sent; !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v, want canceled", err)
	}
	select {
	case code := <-answered:
		if code != statusOf(CodeCanceled) {
			t.Errorf("the abandoned call answered %d, want %d", code, statusOf(CodeCanceled))
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the query still ran 20 s after its request was abandoned")
	}
}

// Closing the app during a sync stops the sync, waits for it, and leaves
// a workspace that opens again and takes writes.
func TestShutdownDuringSyncLeavesWorkspaceUsable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	db, err := workspace.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	listing := make(chan struct{}, 1)
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case listing <- struct{}{}:
		default:
		}
		<-r.Context().Done() // a collector that never answers
	}))
	defer stalled.Close()

	life := NewLife(t.Context())
	s := bindingOf[*Sync](BindingsWith(db, Options{Life: life}))
	if _, err := s.Start(stalled.URL, "token"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	select {
	case <-listing:
	case <-time.After(30 * time.Second):
		t.Fatal("the sync never asked the collector for its archives")
	}
	closed := make(chan struct{})
	go func() {
		life.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(20 * time.Second):
		t.Fatal("shutting down still waits on the stalled sync after 20 s")
	}
	st, err := s.Status()
	if err != nil || st.Running || st.Error == nil || st.Error.Code != CodeCanceled {
		t.Errorf("status after shutdown = %+v, %v; want a stopped, canceled sync", st, err)
	}
	if _, err := s.Start(stalled.URL, "token"); codeOfErr(err) != CodeCanceled {
		t.Errorf("Start after shutdown = %v, want canceled", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close workspace: %v", err)
	}

	again, err := workspace.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen workspace: %v", err)
	}
	defer again.Close()
	if err := again.SetSetting(t.Context(), "after.shutdown", true); err != nil {
		t.Fatalf("write after reopening: %v", err)
	}
	view, err := NewSync(again, nil).Sources()
	if err != nil {
		t.Fatal(err)
	}
	if len(view.History) != 1 || view.History[0].Error == "" {
		t.Errorf("history = %+v, want the stopped sync recorded with its error", view.History)
	}
}

// Status answers while Start waits on a source's network probe, and a
// Start that fails leaves no job behind.
func TestStatusAnswersWhileStartProbes(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "test-key")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	probing := make(chan struct{}, 1)
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case probing <- struct{}{}:
		default:
		}
		<-r.Context().Done() // a bucket endpoint that never answers
	}))
	defer stalled.Close()
	life := NewLife(t.Context())
	defer life.Close()
	s := bindingOf[*Sync](BindingsWith(newWorkspace(t), Options{Life: life}))
	addr := "s3://bucket/archives?endpoint=" + url.QueryEscape(stalled.URL)

	startErr := make(chan error, 1)
	go func() {
		_, err := s.Start(addr, "")
		startErr <- err
	}()
	select {
	case <-probing:
	case err := <-startErr:
		t.Fatalf("Start returned before probing the bucket: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Start never probed the bucket")
	}
	status := make(chan SyncStatus, 1)
	go func() {
		st, _ := s.Status()
		status <- st
	}()
	select {
	case st := <-status:
		if !st.Running || !strings.HasPrefix(st.Source, "s3://bucket") {
			t.Errorf("status while probing = %+v, want the starting job", st)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Status waited on the network probe")
	}
	if _, err := s.Start(addr, ""); codeOfErr(err) != CodeConflict {
		t.Errorf("a second Start while probing = %v, want conflict", err)
	}

	life.Close() // ends the probe
	if err := <-startErr; err == nil {
		t.Fatal("Start succeeded against a bucket that never answered")
	}
	if st, _ := s.Status(); st.Running {
		t.Errorf("status after a failed Start = %+v, want no job", st)
	}
}

// Browser mode runs each call on a copy of its binding, so no binding may
// hold a lock or other shared state by value: the copies must share it.
func TestBindingsShareStateAcrossCallCopies(t *testing.T) {
	for _, b := range Bindings(nil) {
		if _, ok := b.(scoped); !ok {
			t.Errorf("%T does not embed scope: its calls cannot get the request's context", b)
		}
		if path := lockByValue(reflect.TypeOf(b).Elem(), reflect.TypeOf(b).Elem().Name()); path != "" {
			t.Errorf("%s is a lock held by value; hold it behind a pointer", path)
		}
	}
}

// lockByValue names the first field of t, within structs and arrays held
// by value, whose type comes from package sync or sync/atomic.
func lockByValue(t reflect.Type, path string) string {
	if p := t.PkgPath(); p == "sync" || p == "sync/atomic" {
		return path
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if found := lockByValue(t.Field(i).Type, path+"."+t.Field(i).Name); found != "" {
				return found
			}
		}
	case reflect.Array:
		return lockByValue(t.Elem(), path+"[]")
	}
	return ""
}

func TestLifeJoinsWorkAndRefusesMoreAfterClose(t *testing.T) {
	life := NewLife(t.Context())
	var finished bool
	if err := life.Go(func(ctx context.Context) {
		<-ctx.Done()
		finished = true // read after Close without a lock: Close must join
	}); err != nil {
		t.Fatal(err)
	}
	life.Close()
	if !finished {
		t.Error("Close returned before the work did")
	}
	if err := life.Go(func(context.Context) {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Go after Close = %v, want ErrClosed", err)
	}
	life.Close() // twice is safe
}

// bindingOf finds the binding of type T.
func bindingOf[T any](bindings []any) T {
	for _, b := range bindings {
		if v, ok := b.(T); ok {
			return v
		}
	}
	panic("no binding of that type")
}
