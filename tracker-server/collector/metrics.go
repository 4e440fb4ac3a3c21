package collector

import (
	"fmt"
	"io"
)

// writeMetrics writes Status in the Prometheus text exposition format
// (version 0.0.4). It is written by hand because a dozen gauges and
// counters need no registry: the official client library would add a large
// dependency tree to a binary meant to stay small.
func writeMetrics(w io.Writer, s Status) error {
	type metric struct {
		name, kind, help string
		value            int64
	}
	ms := []metric{
		{"loupe_collector_open_sessions", "gauge", "Session parts currently open.", int64(s.OpenSessions)},
		{"loupe_collector_pending_uploads", "gauge", "Sealed archives waiting for the store.", int64(s.PendingUploads)},
		{"loupe_collector_open_log_files", "gauge", "Session logs holding a file descriptor.", int64(s.OpenLogFiles)},
		{"loupe_collector_remembered_sessions", "gauge", "Session ids whose seqs are kept for deduplication.", int64(s.Remembered)},
		{"loupe_collector_sealed_archives_total", "counter", "Archives stored since start.", s.SealedArchives},
		{"loupe_collector_sealed_bytes_total", "counter", "Bytes of archives stored since start.", s.SealedBytes},
		{"loupe_collector_batches_total", "counter", "Batches made durable since start.", s.Batches},
		{"loupe_collector_events_total", "counter", "Events made durable since start.", s.Events},
		{"loupe_collector_duplicate_batches_total", "counter", "Repeated batches acknowledged without storing.", s.Duplicates},
		{"loupe_collector_conflicting_batches_total", "counter", "Repeated seqs with different content, refused with 409.", s.Conflicts},
		{"loupe_collector_rejected_batches_total", "counter", "Batches refused as bad input (4xx).", s.Rejected},
		{"loupe_collector_errors_total", "counter", "Internal errors (5xx, failed seals).", s.Errors},
		{"loupe_collector_upload_errors_total", "counter", "Failed archive uploads (retried).", s.UploadErrors},
		{"loupe_assets_fetched_total", "counter", "Page assets fetched and kept since start.", s.AssetsFetched},
		{"loupe_assets_failed_total", "counter", "Page asset fetches that failed or were refused since start.", s.AssetsFailed},
		{"loupe_assets_deduped_total", "counter", "Page assets of sealed sessions the store already held.", s.AssetsDeduped},
		{"loupe_asset_bytes_total", "counter", "Bytes of page assets uploaded to the store since start.", s.AssetBytes},
	}
	for _, m := range ms {
		if _, err := fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s{collector=%q} %d\n",
			m.name, m.help, m.name, m.kind, m.name, s.Collector, m.value); err != nil {
			return err
		}
	}
	if err := writeQuotaMetrics(w, s); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "# HELP loupe_collector_start_time_seconds Start time since the Unix epoch.\n# TYPE loupe_collector_start_time_seconds gauge\nloupe_collector_start_time_seconds{collector=%q} %d\n", s.Collector, s.StartedAt.Unix())
	return err
}
