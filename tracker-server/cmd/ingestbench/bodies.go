package main

import (
	"bytes"
	"compress/gzip"

	"github.com/loupe-dev/loupe/core/generate"
)

// origin is the page origin every batch claims; the collector's default
// sites accept the key "demo" from it.
const origin = "http://localhost:8080"

// request is one pre-made ingest POST.
type request struct {
	session string
	body    []byte
}

// makeRequests builds every body before any clock starts (see
// generate.IngestBatches), gzipped as the tracker sends them unless
// plain is asked for.
func makeRequests(opts options) ([]request, error) {
	batches, err := generate.IngestBatches(generate.BatchOptions{Batches: opts.batches, Sessions: opts.sessions,
		Events: opts.events, Name: "bench", Origin: origin})
	if err != nil {
		return nil, err
	}
	out := make([]request, len(batches))
	for k, b := range batches {
		body := b.Body
		if !opts.plain {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(body)
			if err := zw.Close(); err != nil {
				return nil, err
			}
			body = buf.Bytes()
		}
		out[k] = request{session: b.Session, body: body}
	}
	return out, nil
}
