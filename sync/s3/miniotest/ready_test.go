package miniotest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/minio/minio-go/v7/pkg/credentials"
)

// TestStartWaitsForSTS checks that keys can be had the moment Start and
// Restart return: one AssumeRole request, no retry, must succeed. Before
// Start waited for IAM, the first request often got "Server not
// initialized".
func TestStartWaitsForSTS(t *testing.T) {
	s := Start(t)
	if _, err := s.assumeRoleOnce(ReadOnlyPolicy("any", "p/")); err != nil {
		t.Fatalf("first AssumeRole right after Start: %v, want keys", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.assumeRoleOnce(WriteOnlyPolicy("any", "p/")); err != nil {
		t.Fatalf("first AssumeRole right after Restart: %v, want keys", err)
	}
}

func TestNotInitialized(t *testing.T) {
	stsErr := func(code, msg string) error {
		var r credentials.ErrorResponse
		r.STSError.Code, r.STSError.Message = code, msg
		return fmt.Errorf("assume role: %w", r)
	}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"server starting", stsErr("XMinioServerNotInitialized", "Server not initialized, please try again."), true},
		{"iam starting", stsErr("STSIAMNotInitialized", "STS IAM not initialized, please try again."), true},
		{"plain message", errors.New("IAM sub-system is being initialized, please try again"), true},
		{"bad policy", stsErr("InvalidParameterValue", "policy is invalid"), false},
		{"refused", errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), false},
	}
	for _, tt := range tests {
		if got := notInitialized(tt.err); got != tt.want {
			t.Errorf("%s: notInitialized(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
