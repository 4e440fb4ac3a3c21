package miniotest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Keys are temporary credentials for a test.
type Keys struct {
	AccessKey, SecretKey, SessionToken string
}

// ReadOnlyPolicy lets an analyst list and download archives under prefix.
func ReadOnlyPolicy(bucket, prefix string) string {
	return policy(
		statement{"s3:GetBucketLocation", "arn:aws:s3:::" + bucket, nil},
		statement{"s3:ListBucket", "arn:aws:s3:::" + bucket, map[string]any{"StringLike": map[string]any{"s3:prefix": prefix + "*"}}},
		statement{"s3:GetObject", "arn:aws:s3:::" + bucket + "/" + prefix + "*", nil},
	)
}

// WriteOnlyPolicy lets a collector upload archives under prefix and
// nothing else: no listing, no download, no delete.
func WriteOnlyPolicy(bucket, prefix string) string {
	return policy(
		statement{"s3:GetBucketLocation", "arn:aws:s3:::" + bucket, nil},
		statement{"s3:PutObject", "arn:aws:s3:::" + bucket + "/" + prefix + "*", nil},
	)
}

type statement struct {
	action, resource string
	condition        map[string]any
}

func policy(stmts ...statement) string {
	var out []map[string]any
	for _, s := range stmts {
		m := map[string]any{"Effect": "Allow", "Action": []string{s.action}, "Resource": []string{s.resource}}
		if s.condition != nil {
			m["Condition"] = s.condition
		}
		out = append(out, m)
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": out})
	return string(b)
}

// AssumeRole returns temporary credentials limited by policy, from MinIO's
// STS AssumeRole with an inline session policy. It gives tests real
// read-only and write-only keys without MinIO's admin API (madmin-go, a
// large extra module). Start already waits for STS; should IAM still be
// (re)loading, AssumeRole retries for up to 30 s rather than make every
// caller loop.
func (s *Server) AssumeRole(policy string) (Keys, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		keys, err := s.assumeRoleOnce(policy)
		if err == nil || !notInitialized(err) || time.Now().After(deadline) {
			return keys, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// assumeRoleOnce makes one AssumeRole request.
func (s *Server) assumeRoleOnce(policy string) (Keys, error) {
	creds := credentials.New(&credentials.STSAssumeRole{
		Client:      &http.Client{Timeout: 5 * time.Second},
		STSEndpoint: s.Endpoint,
		Options: credentials.STSAssumeRoleOptions{
			AccessKey: RootUser, SecretKey: RootPassword, Policy: policy, Location: "us-east-1", DurationSeconds: 3600,
		},
	})
	v, err := creds.Get()
	if err != nil {
		return Keys{}, fmt.Errorf("assume role: %w", err)
	}
	return Keys{AccessKey: v.AccessKeyID, SecretKey: v.SecretAccessKey, SessionToken: v.SessionToken}, nil
}

// notInitialized reports MinIO's answer while its IAM subsystem starts:
// "Server not initialized, please try again" (XMinioServerNotInitialized)
// or STSIAMNotInitialized, both 503.
func notInitialized(err error) bool {
	var resp credentials.ErrorResponse
	if errors.As(err, &resp) && strings.Contains(resp.STSError.Code, "NotInitialized") {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "not initialized") || strings.Contains(msg, "being initialized")
}
