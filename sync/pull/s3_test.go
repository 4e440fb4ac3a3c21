package pull

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/s3"
	"github.com/loupe-dev/loupe/sync/s3/miniotest"
	"github.com/loupe-dev/loupe/sync/source"
)

// bucketPrefix is where the tests below keep archives in each bucket.
const bucketPrefix = "archives"

// TestSyncFromMinIO syncs from a real MinIO bucket with read-only keys, as
// an analyst does. One server serves every case, a bucket each.
func TestSyncFromMinIO(t *testing.T) {
	srv := miniotest.Start(t)
	t.Run("bad objects are quarantined", func(t *testing.T) { testBucketQuarantine(t, srv) })
	t.Run("a cancelled sync is finished by the next", func(t *testing.T) { testBucketResume(t, srv) })
	t.Run("four workers import what one does", func(t *testing.T) { testBucketWorkers(t, srv) })
	t.Run("page assets come with read-only keys", func(t *testing.T) { testBucketAssets(t, srv) })
}

// testBucketAssets syncs an archive whose manifest names an asset kept in
// the bucket beside it and one that is not there.
func testBucketAssets(t *testing.T, srv *miniotest.Server) {
	ctx := context.Background()
	st := bucketStore(t, srv, "assets")
	png := []byte("\x89PNG image kept in the bucket")
	sha := archive.SumAsset(png)
	if err := st.PutAsset(ctx, sha, bytes.NewReader(png), int64(len(png))); err != nil {
		t.Fatal(err)
	}
	absent := archive.SumAsset([]byte("never uploaded"))
	b, sum := assetArchive(t, "s_bucket_assets", []archive.AssetRef{
		{URL: "https://cdn.test/a.png", SHA256: sha, Type: "image/png", Size: int64(len(png))},
		{URL: "https://cdn.test/b.png", SHA256: absent, Type: "image/png", Size: 14},
	}, nil)
	if err := st.Put(ctx, "2026/11/03/s_bucket_assets.loupe", bytes.NewReader(b), int64(len(b)), sum); err != nil {
		t.Fatal(err)
	}
	src, name := readOnlySource(t, srv, "assets")
	db := openWorkspace(t)
	rep, err := Sync(ctx, src, db, Options{Source: name})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.Assets.Fetched != 1 || rep.Assets.Bytes != int64(len(png)) || rep.Assets.Missing != 1 {
		t.Errorf("report: %d imported, assets %+v", rep.Imported, rep.Assets)
	}
	if c, _ := db.AssetCompleteness(ctx, "s_bucket_assets"); c.Summary != "1 of 2 stored; 1 missing: not at the source" {
		t.Errorf("completeness %q", c.Summary)
	}
}

// bucketStore makes a bucket and opens it for writing with root keys, as
// a collector's store.
func bucketStore(t *testing.T, srv *miniotest.Server, bucket string) *s3.Store {
	t.Helper()
	srv.MakeBucket(t, bucket)
	st, err := s3.OpenWith(context.Background(), srv.StoreURL(bucket, bucketPrefix),
		s3.Config{AccessKey: miniotest.RootUser, SecretKey: miniotest.RootPassword})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// readOnlySource opens the bucket the way `loupe sync --from s3://...`
// does: source.Open with temporary read-only keys in the environment.
func readOnlySource(t *testing.T, srv *miniotest.Server, bucket string) (source.Source, string) {
	t.Helper()
	keys := assumeRole(t, srv, miniotest.ReadOnlyPolicy(bucket, bucketPrefix+"/"))
	t.Setenv("AWS_ACCESS_KEY_ID", keys.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", keys.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", keys.SessionToken)
	addr := srv.StoreURL(bucket, bucketPrefix)
	src, err := source.Open(context.Background(), addr, "")
	if err != nil {
		t.Fatalf("open %s with read-only keys: %v", addr, err)
	}
	return src, source.Name(addr)
}

// assumeRole gets temporary keys for policy, retrying while MinIO is live
// but its IAM subsystem is still starting ("Server not initialized"):
// miniotest waits for /minio/health/live only.
func assumeRole(t *testing.T, srv *miniotest.Server, policy string) miniotest.Keys {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		keys, err := srv.AssumeRole(policy)
		if err == nil {
			return keys
		}
		if !strings.Contains(err.Error(), "not initialized") || time.Now().After(deadline) {
			t.Fatalf("assume role: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// putObject writes raw bytes under key with listedSHA as the digest
// metadata, bypassing the store's own checks, as a damaged or tampered
// object would sit in a bucket.
func putObject(t *testing.T, srv *miniotest.Server, bucket, key string, body []byte, listedSHA string) {
	t.Helper()
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PutObject(context.Background(), bucket, bucketPrefix+"/"+key, bytes.NewReader(body), int64(len(body)),
		minio.PutObjectOptions{ContentType: "application/gzip", UserMetadata: map[string]string{"Loupe-Sha256": listedSHA}})
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// regzip decompresses an archive, applies edit to its text and compresses
// it again: a valid gzip stream whose trailer no longer matches.
func regzip(t *testing.T, b []byte, edit func(string) string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(plain))
	if edited == string(plain) {
		t.Fatal("edit changed nothing")
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write([]byte(edited))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func testBucketQuarantine(t *testing.T, srv *miniotest.Server) {
	ctx := context.Background()
	const bucket = "quarantine"
	st := bucketStore(t, srv, bucket)
	good := fill(t, st, 10)
	start := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	full, fullSHA := makeArchive(t, "s_badbytes", 0, 3, start)
	cut := full[:len(full)/2]
	flipped := append([]byte(nil), full...)
	flipped[len(flipped)/2] ^= 0xff
	retrailed := regzip(t, full, func(s string) string { return strings.Replace(s, `"x":100,`, `"x":999,`, 1) })
	bad := []struct {
		name, key  string
		body       []byte
		listedSHA  string
		wantReason string
	}{
		// The listing is honest about the cut bytes; gzip's length check
		// catches them.
		{"truncated, digest of the cut bytes", "2026/11/02/00002x-s_truncated.loupe", cut, sha(cut), "truncated"},
		{"truncated, digest of the whole archive", "2026/11/02/00004x-s_cutlisted.loupe", cut, fullSHA, "sha256"},
		{"valid gzip, stale trailer", "2026/11/02/00006x-s_retrailed.loupe", retrailed, sha(retrailed), "corrupt"},
		// Sorts after every good key, so the cursor must move past a bad one.
		{"one byte flipped, original digest", "2026/11/02/00009x-s_flipped.loupe", flipped, fullSHA, "sha256"},
	}
	for _, b := range bad {
		putObject(t, srv, bucket, b.key, b.body, b.listedSHA)
	}

	src, name := readOnlySource(t, srv, bucket)
	db := openWorkspace(t)
	rep, err := Sync(ctx, src, db, Options{Source: name, Workers: 4, PageSize: 5})
	if err != nil {
		t.Fatalf("sync with bad objects in the bucket: %v (report %+v)", err, rep)
	}
	if rep.Listed != len(good)+len(bad) || rep.Imported != len(good) || rep.Quarantined != len(bad) {
		t.Errorf("report listed=%d imported=%d quarantined=%d, want %d, %d, %d",
			rep.Listed, rep.Imported, rep.Quarantined, len(good)+len(bad), len(good), len(bad))
	}
	if n := countSessions(t, db); n != len(good) {
		t.Errorf("workspace has %d sessions, want %d", n, len(good))
	}
	if _, err := db.Session(ctx, "s_badbytes"); !errors.Is(err, workspace.ErrNotFound) {
		t.Errorf("session of the bad objects: err %v, want ErrNotFound", err)
	}
	reported := map[string]string{}
	for _, p := range rep.Problems {
		reported[p.Key] = p.Reason
		t.Logf("quarantined %s: %s", p.Key, p.Reason)
	}
	q, err := db.QuarantinedArchives(ctx)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]workspace.Quarantined{}
	for _, e := range q {
		recorded[e.Key] = e
	}
	for _, b := range bad {
		reason, ok := reported[b.key]
		if !ok {
			t.Errorf("%s (%s): not reported", b.name, b.key)
			continue
		}
		if !strings.Contains(strings.ToLower(reason), b.wantReason) {
			t.Errorf("%s: reason %q, want it to mention %q", b.name, reason, b.wantReason)
		}
		rec, ok := recorded[b.key]
		if !ok || rec.Source != name {
			t.Errorf("%s: quarantine record %+v, want one for source %s", b.name, rec, name)
			continue
		}
		kept, err := os.ReadFile(rec.KeptAt)
		if err != nil {
			t.Errorf("%s: kept file %q: %v", b.name, rec.KeptAt, err)
		} else if !bytes.Equal(kept, b.body) {
			t.Errorf("%s: kept %d bytes, not the %d in the bucket", b.name, len(kept), len(b.body))
		}
	}
	last := bad[len(bad)-1].key
	if c, _ := db.Cursor(ctx, name); c != last {
		t.Errorf("cursor = %q, want %q (past the last, bad, object)", c, last)
	}

	rep, err = Sync(ctx, src, db, Options{Source: name})
	if err != nil || rep.Listed != 0 || rep.Imported != 0 || rep.Quarantined != 0 {
		t.Errorf("second sync: %+v, %v; want nothing listed", rep, err)
	}
	late, lateSHA := makeArchive(t, "s_latecomer", 0, 1, start.Add(time.Hour))
	if err := st.Put(ctx, "2026/11/03/00000-s_latecomer.loupe", bytes.NewReader(late), int64(len(late)), lateSHA); err != nil {
		t.Fatal(err)
	}
	rep, err = Sync(ctx, src, db, Options{Source: name})
	if err != nil || rep.Listed != 1 || rep.Imported != 1 || rep.Quarantined != 0 {
		t.Errorf("sync after a new archive: %+v, %v; want 1 listed and imported", rep, err)
	}
}

func testBucketResume(t *testing.T, srv *miniotest.Server) {
	const bucket, total, cutAt = "resume", 40, 15
	st := bucketStore(t, srv, bucket)
	keys := fill(t, st, total)
	src, name := readOnlySource(t, srv, bucket)
	db := openWorkspace(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := Options{Source: name, Workers: 4, PageSize: 10, Progress: func(p Progress) {
		if p.Done == cutAt {
			cancel()
		}
	}}
	rep, err := Sync(ctx, src, db, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sync: err %v, want context.Canceled (report %+v)", err, rep)
	}
	first := countSessions(t, db)
	if first < cutAt || first >= total {
		t.Fatalf("after cancelling at %d: %d sessions, want at least %d and fewer than %d", cutAt, first, cutAt, total)
	}
	t.Logf("cancelled at %d of %d archives: %d imported, %v", cutAt, total, first, err)
	if c, _ := db.Cursor(context.Background(), name); c != keys[first-1] {
		t.Errorf("cursor after the cut = %q, want %q (the last of %d imported)", c, keys[first-1], first)
	}

	rep, err = Sync(context.Background(), src, db, Options{Source: name, Workers: 4, PageSize: 10})
	if err != nil {
		t.Fatalf("resumed sync: %v", err)
	}
	if rep.Imported != total-first || rep.Skipped != 0 || rep.Quarantined != 0 {
		t.Errorf("resumed sync imported=%d skipped=%d quarantined=%d, want %d, 0, 0", rep.Imported, rep.Skipped, rep.Quarantined, total-first)
	}
	if n := countSessions(t, db); n != total {
		t.Errorf("after resuming: %d sessions, want %d", n, total)
	}
	var archives, distinctKeys int
	if err := db.DB().QueryRow(`SELECT count(*), count(DISTINCT key) FROM archives`).Scan(&archives, &distinctKeys); err != nil {
		t.Fatal(err)
	}
	if archives != total || distinctKeys != total {
		t.Errorf("archives recorded = %d (%d keys), want %d: some imported twice or not at all", archives, distinctKeys, total)
	}
	// Each fill session has 2 + (1 + i%3) events; a double import would
	// show up as more.
	var events int
	if err := db.DB().QueryRow(`SELECT coalesce(sum(events), 0) FROM sessions`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	want := 0
	for i := 0; i < total; i++ {
		want += 3 + i%3
	}
	if events != want {
		t.Errorf("events in the workspace = %d, want %d", events, want)
	}
	if c, _ := db.Cursor(context.Background(), name); c != keys[total-1] {
		t.Errorf("cursor after resuming = %q, want %q", c, keys[total-1])
	}
}

func testBucketWorkers(t *testing.T, srv *miniotest.Server) {
	ctx := context.Background()
	const bucket = "workers"
	st := bucketStore(t, srv, bucket)
	fill(t, st, 30)
	// Sessions in two parts, one from each of two collectors, under keys
	// that interleave with the others.
	start := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		sess := fmt.Sprintf("s_twopart%02d", i)
		for part, coll := range []string{"ca", "cb"} {
			b, sum := makeArchive(t, sess, part, 2+part, start.Add(time.Duration(i)*time.Minute))
			key := fmt.Sprintf("2026/11/02/%05d-%s-%s.loupe", 3*i+part*7, coll, sess)
			if err := st.Put(ctx, key, bytes.NewReader(b), int64(len(b)), sum); err != nil {
				t.Fatal(err)
			}
		}
	}
	junk, _ := makeArchive(t, "s_junk", 0, 1, start)
	putObject(t, srv, bucket, "2026/11/02/00011x-s_junk.loupe", junk[:len(junk)-9], sha(junk[:len(junk)-9]))
	src, name := readOnlySource(t, srv, bucket)

	type outcome struct {
		rep      Report
		sessions []string
		archives []string
		replay   map[string]string
	}
	run := func(workers int) outcome {
		db := openWorkspace(t)
		rep, err := Sync(ctx, src, db, Options{Source: name, Workers: workers, PageSize: 7})
		if err != nil {
			t.Fatalf("sync with %d workers: %v", workers, err)
		}
		o := outcome{rep: rep, replay: map[string]string{}}
		ss, err := db.Sessions(ctx, workspace.SessionQuery{Sort: "id"})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			o.sessions = append(o.sessions, fmt.Sprintf("%s events=%d clicks=%d pageviews=%d duration=%d", s.ID, s.Events, s.Clicks, s.Pageviews, s.DurationMS))
		}
		rows, err := db.DB().Query(`SELECT hex(sha256), key, session_id, part FROM archives`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var h, k, s string
			var p int
			rows.Scan(&h, &k, &s, &p)
			o.archives = append(o.archives, fmt.Sprintf("%s %s %s %d", strings.ToLower(h), k, s, p))
		}
		rows.Close()
		slices.Sort(o.archives)
		for i := 0; i < 5; i++ {
			sess := fmt.Sprintf("s_twopart%02d", i)
			_, evs, err := db.Replay(ctx, sess)
			if err != nil {
				t.Fatalf("replay %s: %v", sess, err)
			}
			var ts []string
			for i, e := range evs {
				if i > 0 && e.Timestamp < evs[i-1].Timestamp {
					t.Errorf("%d workers: %s replay goes back in time at event %d", workers, sess, i)
				}
				ts = append(ts, fmt.Sprint(e.Timestamp))
			}
			o.replay[sess] = strings.Join(ts, ",")
		}
		return o
	}
	one, four := run(1), run(4)
	t.Logf("one worker: %d archives in %v; four workers: %d in %v", one.rep.Imported, one.rep.Duration, four.rep.Imported, four.rep.Duration)
	if one.rep.Listed != 41 || one.rep.Imported != 40 || one.rep.Merged != 5 || one.rep.Quarantined != 1 {
		t.Errorf("one worker: listed=%d imported=%d merged=%d quarantined=%d, want 41, 40, 5, 1",
			one.rep.Listed, one.rep.Imported, one.rep.Merged, one.rep.Quarantined)
	}
	if len(one.sessions) != 35 {
		t.Errorf("one worker: %d sessions, want 35", len(one.sessions))
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"listed", four.rep.Listed, one.rep.Listed},
		{"imported", four.rep.Imported, one.rep.Imported},
		{"merged", four.rep.Merged, one.rep.Merged},
		{"quarantined", four.rep.Quarantined, one.rep.Quarantined},
		{"events", four.rep.Events, one.rep.Events},
		{"cursor", four.rep.Cursor, one.rep.Cursor},
	} {
		if c.got != c.want {
			t.Errorf("four workers: %s = %v, one worker: %v", c.what, c.got, c.want)
		}
	}
	if !slices.Equal(four.sessions, one.sessions) {
		t.Errorf("sessions differ:\nfour workers: %v\none worker:   %v", four.sessions, one.sessions)
	}
	if !slices.Equal(four.archives, one.archives) {
		t.Errorf("archives differ:\nfour workers: %v\none worker:   %v", four.archives, one.archives)
	}
	for sess, want := range one.replay {
		if got := four.replay[sess]; got != want {
			t.Errorf("%s replay timestamps: four workers %s, one worker %s", sess, got, want)
		}
	}
}
