package s3_test

import (
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/archive/archivetest"
)

func TestConformance(t *testing.T) {
	srv := minioServer(t)
	archivetest.Run(t, func(t *testing.T) archive.Store {
		return openStore(t, srv.StoreURL(newBucket(t, srv), "archives/site-a"), rootConfig)
	})
}

func TestConformanceWithoutPrefix(t *testing.T) {
	srv := minioServer(t)
	archivetest.Run(t, func(t *testing.T) archive.Store {
		return openStore(t, srv.StoreURL(newBucket(t, srv), ""), rootConfig)
	})
}
