// Package miniotest runs a real MinIO server for tests: started as a plain
// process on 127.0.0.1, stopped by the test, restartable on the same port
// and data to simulate an outage. MinIO is AGPL and only ever runs as a
// separate test process; nothing links it.
//
// The binary comes from $LOUPE_MINIO or $HOME/.cache/loupe/bin/minio, which
// .ci/deps builds. Without it tests fail, unless LOUPE_SKIP_MINIO=1 says to
// skip them.
package miniotest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Ports this package's servers use. Other packages' test servers stay out
// of this range.
const (
	FirstPort = 18300
	LastPort  = 18399
)

// Root credentials of every test server.
const (
	RootUser     = "loupe-test-root"
	RootPassword = "loupe-test-root-secret"
)

// Server is one MinIO process.
type Server struct {
	// Addr is 127.0.0.1:PORT; Endpoint is http://Addr.
	Addr     string
	Endpoint string
	Dir      string

	bin    string
	mu     sync.Mutex
	cmd    *exec.Cmd
	waitCh chan error
	log    *logBuffer
}

// Binary returns the MinIO binary's path, or an error saying how to get it.
func Binary() (string, error) {
	p := os.Getenv("LOUPE_MINIO")
	if p == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = filepath.Join(home, ".cache", "loupe", "bin", "minio")
	}
	if fi, err := os.Stat(p); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("no MinIO binary at %s: run .ci/deps to build it (or set LOUPE_MINIO to its path, or LOUPE_SKIP_MINIO=1 to skip the tests that need it)", p)
	}
	return p, nil
}

// Start runs a server in a fresh folder for the test and stops it when the
// test ends. It returns once the server serves S3 requests and issues STS
// credentials, so callers need no retry loop of their own. With no binary it fails the test, or skips it when
// LOUPE_SKIP_MINIO=1.
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := StartIn(t.TempDir())
	if err != nil {
		if errors.Is(err, errNoBinary) && os.Getenv("LOUPE_SKIP_MINIO") == "1" {
			t.Skipf("LOUPE_SKIP_MINIO=1: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop minio: %v", err)
		}
	})
	return s
}

var errNoBinary = errors.New("minio binary missing")

// StartIn runs a server on a free port of the package's range with its
// data in dir. The caller stops it.
func StartIn(dir string) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoBinary, err)
	}
	ports := rand.Perm(LastPort - FirstPort + 1)
	var lastErr error
	for _, off := range ports {
		port := FirstPort + off
		addr := "127.0.0.1:" + strconv.Itoa(port)
		if !free(addr) {
			continue
		}
		s := &Server{Addr: addr, Endpoint: "http://" + addr, Dir: dir, bin: bin}
		if lastErr = s.start(); lastErr == nil {
			return s, nil
		}
	}
	if lastErr == nil {
		lastErr = fmt.Errorf("no free port in %d-%d", FirstPort, LastPort)
	}
	return nil, lastErr
}

func free(addr string) bool {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// start launches the process and waits until it is ready.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("minio already running")
	}
	s.log = &logBuffer{}
	cmd := exec.Command(s.bin, "server", s.Dir, "--address", s.Addr, "--quiet")
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+RootUser,
		"MINIO_ROOT_PASSWORD="+RootPassword,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
	)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	// Its own process group, so a Ctrl-C on the test run does not race it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start minio: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			return fmt.Errorf("minio on %s exited during start (%v): %s", s.Addr, err, s.log.String())
		default:
		}
		err := s.ready()
		if err == nil {
			s.cmd = cmd
			s.waitCh = exited
			return nil
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			return fmt.Errorf("minio on %s not ready after 30s (%v): %s", s.Addr, err, s.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ready reports why the server cannot yet serve a test, or nil once it
// can. MinIO answers /minio/health/live as soon as it listens and
// /minio/health/ready once its object layer is up, but its IAM subsystem
// starts after both: until then STS refuses AssumeRole with "Server not
// initialized". So the last check is a real AssumeRole.
func (s *Server) ready() error {
	for _, path := range []string{"/minio/health/live", "/minio/health/ready"} {
		if err := healthy(s.Endpoint + path); err != nil {
			return err
		}
	}
	_, err := s.assumeRoleOnce(WriteOnlyPolicy("readiness-probe", ""))
	return err
}

// healthy is nil when url answers 200.
func healthy(url string) error {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

func live(endpoint string) bool { return healthy(endpoint+"/minio/health/live") == nil }

// Stop ends the server (SIGTERM, then SIGKILL after 10 s). Its data stays
// for Restart.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return nil
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.waitCh:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.waitCh
	}
	s.cmd = nil
	return nil
}

// Restart starts the stopped server again on the same port and data and,
// like Start, returns once it serves S3 and STS requests.
func (s *Server) Restart() error {
	var err error
	for i := 0; i < 50; i++ { // the port may linger briefly after a stop
		if err = s.start(); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// Log is what the server printed so far.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return ""
	}
	return s.log.String()
}

// logBuffer collects the server's output while tests read it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Client is a root client of the server.
func (s *Server) Client() (*minio.Client, error) {
	return minio.New(s.Addr, &minio.Options{Creds: credentials.NewStaticV4(RootUser, RootPassword, ""), Region: "us-east-1"})
}

// MakeBucket creates a bucket, failing the test on error.
func (s *Server) MakeBucket(t testing.TB, name string) {
	t.Helper()
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.MakeBucket(context.Background(), name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("make bucket %s: %v", name, err)
	}
}

// StoreURL is the store address of bucket/prefix on this server.
func (s *Server) StoreURL(bucket, prefix string) string {
	return "s3://" + bucket + "/" + prefix + "?endpoint=" + s.Endpoint
}
