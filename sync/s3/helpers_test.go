package s3_test

import "github.com/minio/minio-go/v7"

func minioPutOptions() minio.PutObjectOptions { return minio.PutObjectOptions{} }
