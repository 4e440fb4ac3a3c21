package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// FeedbackQuery selects feedback responses. Zero fields do not filter.
type FeedbackQuery struct {
	// Kind is "csat" or "nps"; empty means both.
	Kind string
	// MaxScore keeps responses scoring at most this (nil: any score).
	MaxScore *int
	// Text keeps responses whose comment contains it, ignoring ASCII case.
	Text string
	// From and To bound the moment of the response (session start plus
	// its offset): From inclusive, To exclusive; zero times are open.
	From, To time.Time
	// Segment keeps responses from sessions in the segment.
	Segment segment.Expr
	// Limit and Offset window the list (Limit 0: 200); Summary ignores them.
	Limit, Offset int
}

// FeedbackResponse is one answer to the feedback prompt, with what the
// workbench needs to link it to its moment in the replay.
type FeedbackResponse struct {
	Session   string `json:"session"`
	StartedAt int64  `json:"started_at"` // session start, unix ms
	OffsetMS  int64  `json:"offset_ms"`  // moment of the response in the session
	Path      string `json:"path"`
	Kind      string `json:"kind"`
	Score     int    `json:"score"`
	Comment   string `json:"comment"`
}

// FeedbackPage is one window of responses, newest first, and how many
// match in all.
type FeedbackPage struct {
	Total     int                `json:"total"`
	Responses []FeedbackResponse `json:"responses"`
}

// ScoreCount is how many responses of a kind gave one score.
type ScoreCount struct {
	Kind  string `json:"kind"`
	Score int    `json:"score"`
	Count int    `json:"count"`
}

// FeedbackSummary aggregates the responses a query selects.
type FeedbackSummary struct {
	Count    int `json:"count"`
	Sessions int `json:"sessions"`
	// CSATCount responses average CSATAverage (0 when there are none).
	CSATCount   int     `json:"csat_count"`
	CSATAverage float64 `json:"csat_average"`
	// NPS is the percentage of promoters (9-10) minus the percentage of
	// detractors (0-6) among NPSCount responses, from -100 to 100.
	NPSCount   int     `json:"nps_count"`
	NPS        float64 `json:"nps"`
	Promoters  int     `json:"promoters"`
	Passives   int     `json:"passives"`
	Detractors int     `json:"detractors"`
	// Distribution counts responses per kind and score, csat first, each
	// kind's scores ascending; scores nobody gave are left out.
	Distribution []ScoreCount `json:"distribution"`
}

// ErrInvalidFeedbackQuery marks a feedback query the workspace cannot run:
// an unknown kind or a negative window.
var ErrInvalidFeedbackQuery = errors.New("invalid feedback query")

// check rejects what where cannot express.
func (q FeedbackQuery) check() error {
	if q.Kind != "" && q.Kind != "csat" && q.Kind != "nps" {
		return fmt.Errorf("kind %q is not csat or nps: %w", q.Kind, ErrInvalidFeedbackQuery)
	}
	if q.Limit < 0 || q.Offset < 0 {
		return fmt.Errorf("limit %d and offset %d must not be negative: %w", q.Limit, q.Offset, ErrInvalidFeedbackQuery)
	}
	return nil
}

// defaultFeedbackPage is the list's window when the query sets no limit.
const defaultFeedbackPage = 200

// feedbackFrom joins a response to its session and page; the WHERE part
// comes from where.
const feedbackFrom = ` FROM feedback fb JOIN sessions s ON s.rid = fb.sid JOIN paths p ON p.id = fb.path_id`

// where compiles the filters over feedback fb joined with sessions s.
func (q FeedbackQuery) where() (string, []any) {
	conds := []string{"1"}
	var args []any
	if q.Kind != "" {
		conds = append(conds, "fb.kind = ?")
		args = append(args, q.Kind)
	}
	if q.MaxScore != nil {
		conds = append(conds, "fb.score <= ?")
		args = append(args, *q.MaxScore)
	}
	if q.Text != "" {
		conds = append(conds, "instr(lower(coalesce(fb.comment, '')), lower(?)) > 0")
		args = append(args, q.Text)
	}
	if !q.From.IsZero() {
		conds = append(conds, "s.started_at + fb.offset_ms >= ?")
		args = append(args, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		conds = append(conds, "s.started_at + fb.offset_ms < ?")
		args = append(args, q.To.UnixMilli())
	}
	if q.Segment != nil {
		w, a := segmentWhere(q.Segment)
		conds = append(conds, "("+w+")")
		args = append(args, a...)
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// FeedbackResponses lists the responses q selects, newest first.
func (db *DB) FeedbackResponses(ctx context.Context, q FeedbackQuery) (FeedbackPage, error) {
	if err := q.check(); err != nil {
		return FeedbackPage{}, fmt.Errorf("list feedback: %w", err)
	}
	where, args := q.where()
	page := FeedbackPage{Responses: []FeedbackResponse{}}
	if err := db.db.QueryRowContext(ctx, `SELECT count(*)`+feedbackFrom+where, args...).Scan(&page.Total); err != nil {
		return FeedbackPage{}, fmt.Errorf("count feedback: %w", err)
	}
	limit := q.Limit
	if limit == 0 {
		limit = defaultFeedbackPage
	}
	rows, err := db.db.QueryContext(ctx, `SELECT s.id, s.started_at, fb.offset_ms, p.path, fb.kind, fb.score, coalesce(fb.comment, '')`+
		feedbackFrom+where+` ORDER BY s.started_at + fb.offset_ms DESC, s.rid, fb.seq LIMIT ? OFFSET ?`,
		append(args, limit, q.Offset)...)
	if err != nil {
		return FeedbackPage{}, fmt.Errorf("list feedback: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r FeedbackResponse
		if err := rows.Scan(&r.Session, &r.StartedAt, &r.OffsetMS, &r.Path, &r.Kind, &r.Score, &r.Comment); err != nil {
			return FeedbackPage{}, fmt.Errorf("read feedback: %w", err)
		}
		page.Responses = append(page.Responses, r)
	}
	if err := rows.Err(); err != nil {
		return FeedbackPage{}, fmt.Errorf("list feedback: %w", err)
	}
	return page, nil
}

// FeedbackSummary aggregates the responses q selects (its window ignored).
func (db *DB) FeedbackSummary(ctx context.Context, q FeedbackQuery) (FeedbackSummary, error) {
	q.Limit, q.Offset = 0, 0
	if err := q.check(); err != nil {
		return FeedbackSummary{}, fmt.Errorf("summarise feedback: %w", err)
	}
	where, args := q.where()
	sum := FeedbackSummary{Distribution: []ScoreCount{}}
	if err := db.db.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT fb.sid)`+feedbackFrom+where, args...).
		Scan(&sum.Count, &sum.Sessions); err != nil {
		return FeedbackSummary{}, fmt.Errorf("summarise feedback: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT fb.kind, fb.score, count(*)`+feedbackFrom+where+
		` GROUP BY fb.kind, fb.score ORDER BY fb.kind, fb.score`, args...)
	if err != nil {
		return FeedbackSummary{}, fmt.Errorf("summarise feedback: %w", err)
	}
	defer rows.Close()
	csatTotal := 0
	for rows.Next() {
		var c ScoreCount
		if err := rows.Scan(&c.Kind, &c.Score, &c.Count); err != nil {
			return FeedbackSummary{}, fmt.Errorf("read feedback summary: %w", err)
		}
		sum.Distribution = append(sum.Distribution, c)
		sum.add(c, &csatTotal)
	}
	if err := rows.Err(); err != nil {
		return FeedbackSummary{}, fmt.Errorf("summarise feedback: %w", err)
	}
	if sum.CSATCount > 0 {
		sum.CSATAverage = float64(csatTotal) / float64(sum.CSATCount)
	}
	if sum.NPSCount > 0 {
		sum.NPS = 100 * float64(sum.Promoters-sum.Detractors) / float64(sum.NPSCount)
	}
	return sum, nil
}

// add counts one distribution bucket into the CSAT and NPS tallies. NPS
// bands are the standard ones: 9-10 promoters, 7-8 passives, 0-6
// detractors.
func (sum *FeedbackSummary) add(c ScoreCount, csatTotal *int) {
	switch c.Kind {
	case "csat":
		sum.CSATCount += c.Count
		*csatTotal += c.Score * c.Count
	case "nps":
		sum.NPSCount += c.Count
		switch {
		case c.Score >= 9:
			sum.Promoters += c.Count
		case c.Score >= 7:
			sum.Passives += c.Count
		default:
			sum.Detractors += c.Count
		}
	}
}
