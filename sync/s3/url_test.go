package s3_test

import (
	"errors"
	"testing"

	"github.com/loupe-dev/loupe/sync/s3"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want s3.Location
	}{
		{"s3://bucket", s3.Location{Bucket: "bucket", Endpoint: "s3.amazonaws.com", Secure: true, AWS: true}},
		{"s3://bucket/", s3.Location{Bucket: "bucket", Endpoint: "s3.amazonaws.com", Secure: true, AWS: true}},
		{"s3://bucket/a/b?region=eu-west-1", s3.Location{Bucket: "bucket", Prefix: "a/b/", Endpoint: "s3.amazonaws.com", Secure: true, AWS: true, Region: "eu-west-1"}},
		{"s3://loupe/archives?endpoint=http://127.0.0.1:9000", s3.Location{Bucket: "loupe", Prefix: "archives/", Endpoint: "127.0.0.1:9000"}},
		{"s3://loupe/archives/?endpoint=https://minio.example.com", s3.Location{Bucket: "loupe", Prefix: "archives/", Endpoint: "minio.example.com", Secure: true}},
		{"s3://loupe?endpoint=minio.example.com:9000&region=us-east-1", s3.Location{Bucket: "loupe", Endpoint: "minio.example.com:9000", Secure: true, Region: "us-east-1"}},
		{"s3://loupe?endpoint=HTTP://host:1/", s3.Location{Bucket: "loupe", Endpoint: "host:1"}},
		{"s3://loupe?endpoint=http%3A%2F%2Fhost%3A9000", s3.Location{Bucket: "loupe", Endpoint: "host:9000"}},
	}
	for _, tt := range tests {
		got, err := s3.ParseURL(tt.raw)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, want %+v", tt.raw, got, tt.want)
		}
		again, err := s3.ParseURL(got.String())
		if err != nil || again != got {
			t.Errorf("ParseURL(%q).String() = %q, which parses to %+v (%v)", tt.raw, got.String(), again, err)
		}
	}
}

func TestParseURLRejects(t *testing.T) {
	for _, raw := range []string{
		"",
		"bucket/prefix",
		"http://bucket/prefix",
		"file:///tmp/x",
		"s3://",
		"s3:///prefix",
		"s3://Bad_Bucket/x",
		"s3://ab/x",
		"s3://key:secret@bucket/x",
		"s3://bucket/a/../b",
		"s3://bucket/a//b",
		"s3://bucket/x?endpoint=ftp://host",
		"s3://bucket/x?endpoint=http://",
		"s3://bucket/x?endpoint=http://host/path",
		"s3://bucket/x?endpont=http://host",
		"s3://bucket/x#frag",
	} {
		if _, err := s3.ParseURL(raw); !errors.Is(err, s3.ErrBadURL) {
			t.Errorf("ParseURL(%q) error = %v, want ErrBadURL", raw, err)
		}
	}
}
