package main

import (
	"context"
	"fmt"
	"os"

	"github.com/minio/minio-go/v7"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
)

// storeTarget is where the collectors of one run put their archives.
type storeTarget struct {
	url  string   // --store value
	env  []string // extra environment (credentials)
	open func() (archive.Store, error)
}

func fileTarget(dir string) storeTarget {
	return storeTarget{url: "file://" + dir, open: func() (archive.Store, error) { return file.New(dir) }}
}

type minioEnv struct {
	srv *miniotest.Server
}

func startMinio(dir string) (*minioEnv, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	srv, err := miniotest.StartIn(dir)
	if err != nil {
		return nil, err
	}
	return &minioEnv{srv: srv}, nil
}

func (m *minioEnv) stop() { m.srv.Stop() }

// target makes a bucket for one run.
func (m *minioEnv) target(bucket string) (storeTarget, error) {
	c, err := m.srv.Client()
	if err != nil {
		return storeTarget{}, err
	}
	if err := c.MakeBucket(context.Background(), bucket, minio.MakeBucketOptions{}); err != nil {
		return storeTarget{}, fmt.Errorf("make bucket: %w", err)
	}
	url := m.srv.StoreURL(bucket, "archives")
	cfg := s3.Config{AccessKey: miniotest.RootUser, SecretKey: miniotest.RootPassword}
	return storeTarget{
		url: url,
		env: []string{"AWS_ACCESS_KEY_ID=" + miniotest.RootUser, "AWS_SECRET_ACCESS_KEY=" + miniotest.RootPassword},
		open: func() (archive.Store, error) {
			return s3.OpenWith(context.Background(), url, cfg)
		},
	}, nil
}
