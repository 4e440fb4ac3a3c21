package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive/archivetest"
	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

func TestOpenErrors(t *testing.T) {
	srv := minioServer(t)
	bucket := newBucket(t, srv)
	closed := closedAddr(t)
	tests := []struct {
		name string
		url  string
		cfg  s3.Config
		want error
	}{
		{"wrong secret", srv.StoreURL(bucket, "a"), s3.Config{AccessKey: miniotest.RootUser, SecretKey: "wrong-secret", Retry: fastRetry}, s3.ErrBadCredentials},
		{"unknown key", srv.StoreURL(bucket, "a"), s3.Config{AccessKey: "nobody", SecretKey: "nothing-at-all", Retry: fastRetry}, s3.ErrBadCredentials},
		{"missing bucket", srv.StoreURL("no-such-bucket", "a"), s3.Config{AccessKey: miniotest.RootUser, SecretKey: miniotest.RootPassword, Retry: fastRetry}, s3.ErrNoSuchBucket},
		{"nothing listening", "s3://bucket/a?endpoint=http://" + closed, s3.Config{AccessKey: "k", SecretKey: "s", Retry: fastRetry}, s3.ErrUnreachable},
		{"no credentials", srv.StoreURL(bucket, "a"), s3.Config{Retry: fastRetry}, s3.ErrNoCredentials},
		{"bad address", "s3:/bucket", rootConfig, s3.ErrBadURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s3.OpenWith(context.Background(), tt.url, tt.cfg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("OpenWith error = %v, want %v", err, tt.want)
			}
		})
	}
}

// closedAddr is a loopback address that refuses connections. It is a
// privileged port: a free port in the test servers' range could be taken
// by a MinIO another package starts between the check and the use (which
// then answers, and the error is not "unreachable"), and the system hands
// out ephemeral ports to other tests' listeners; neither uses these.
func closedAddr(t *testing.T) string {
	t.Helper()
	for _, p := range []int{1, 9, 13, 19, 39, 47, 51, 71} {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(p))
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			continue
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			return addr
		}
	}
	t.Fatal("no privileged loopback port refuses connections")
	return ""
}

func TestOpenReadsEnvironment(t *testing.T) {
	srv := minioServer(t)
	url := srv.StoreURL(newBucket(t, srv), "env")
	t.Setenv("AWS_ACCESS_KEY_ID", miniotest.RootUser)
	t.Setenv("AWS_SECRET_ACCESS_KEY", miniotest.RootPassword)
	t.Setenv("AWS_SESSION_TOKEN", "")
	if _, err := s3.Open(context.Background(), url); err != nil {
		t.Fatalf("Open with credentials in the environment: %v", err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	if _, err := s3.Open(context.Background(), url); !errors.Is(err, s3.ErrNoCredentials) {
		t.Fatalf("Open without AWS_ACCESS_KEY_ID: error = %v, want ErrNoCredentials", err)
	}
}

func TestBucketDeletedAfterOpen(t *testing.T) {
	srv := minioServer(t)
	bucket := newBucket(t, srv)
	s := openStore(t, srv.StoreURL(bucket, "x"), rootConfig)
	c, _ := srv.Client()
	if err := c.RemoveBucket(context.Background(), bucket); err != nil {
		t.Fatal(err)
	}
	b := archivetest.NewBlob(t, "s_gone00001", 3)
	err := s.Put(context.Background(), "a.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256)
	if !errors.Is(err, s3.ErrNoSuchBucket) {
		t.Errorf("Put to a removed bucket: error = %v, want ErrNoSuchBucket", err)
	}
	if _, err := s.List(context.Background(), "", 0); !errors.Is(err, s3.ErrNoSuchBucket) {
		t.Errorf("List of a removed bucket: error = %v, want ErrNoSuchBucket", err)
	}
	if _, err := s.Open(context.Background(), "a.loupe"); errors.Is(err, fs.ErrNotExist) || !errors.Is(err, s3.ErrNoSuchBucket) {
		t.Errorf("Open in a removed bucket: error = %v, want ErrNoSuchBucket", err)
	}
}

func TestForeignObjectsAndPrefixes(t *testing.T) {
	srv := minioServer(t)
	bucket := newBucket(t, srv)
	a := openStore(t, srv.StoreURL(bucket, "site-a"), rootConfig)
	ab := openStore(t, srv.StoreURL(bucket, "site-ab"), rootConfig)
	b := archivetest.NewBlob(t, "s_prefix001", 3)
	ctx := context.Background()
	for _, s := range []*s3.Store{a, ab} {
		if err := s.Put(ctx, "x.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); err != nil {
			t.Fatal(err)
		}
	}
	// Objects put by other tools: not archive keys, or without a digest.
	c, _ := srv.Client()
	for name, body := range map[string]string{"site-a/README.txt": "hi", "site-a/.hidden.loupe": "x", "site-a/raw.loupe": "raw bytes"} {
		if _, err := c.PutObject(ctx, bucket, name, bytes.NewReader([]byte(body)), int64(len(body)), minioPutOptions()); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := a.List(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Key != "raw.loupe" || entries[1].Key != "x.loupe" {
		t.Fatalf("List = %+v, want raw.loupe and x.loupe only", entries)
	}
	if entries[0].SHA256 != "" || entries[1].SHA256 != b.SHA256 {
		t.Errorf("digests = %q, %q; want none for the foreign object and %s", entries[0].SHA256, entries[1].SHA256, b.SHA256)
	}
	if entries, _ := ab.List(ctx, "", 0); len(entries) != 1 {
		t.Errorf("prefix site-ab lists %+v, want its own archive only", entries)
	}
}

func TestListTimesAreRecent(t *testing.T) {
	srv := minioServer(t)
	s := openStore(t, srv.StoreURL(newBucket(t, srv), ""), rootConfig)
	b := archivetest.NewBlob(t, "s_time00001", 1)
	if err := s.Put(context.Background(), "t.loupe", bytes.NewReader(b.Data), int64(len(b.Data)), b.SHA256); err != nil {
		t.Fatal(err)
	}
	e, err := s.List(context.Background(), "", 1)
	if err != nil || len(e) != 1 {
		t.Fatalf("List = %v, %v", e, err)
	}
	if d := time.Since(e[0].Modified); d < -time.Minute || d > time.Minute {
		t.Errorf("Modified = %v, want about now", e[0].Modified)
	}
}
