package miniotest

import (
	"net/http"
	"strings"
	"testing"
)

func TestBinaryMissingSaysHowToGetIt(t *testing.T) {
	t.Setenv("LOUPE_MINIO", "/nonexistent/minio")
	_, err := Binary()
	if err == nil || !strings.Contains(err.Error(), ".ci/deps") {
		t.Fatalf("Binary() error = %v, want a hint to run .ci/deps", err)
	}
}

func TestStartStopRestart(t *testing.T) {
	s := Start(t)
	if !live(s.Endpoint) {
		t.Fatal("server not live after Start")
	}
	s.MakeBucket(t, "kept")
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(s.Endpoint + "/minio/health/live"); err == nil {
		t.Fatal("server still answers after Stop")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	c, err := s.Client()
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.BucketExists(t.Context(), "kept")
	if err != nil || !ok {
		t.Fatalf("bucket after restart: exists=%v err=%v, want it kept", ok, err)
	}
}
