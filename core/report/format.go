package report

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// sortedSeries orders a map for a chart, by value (largest first) or key.
func sortedSeries(m map[string]float64, byValue bool) ([]string, []float64) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if byValue && m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	vals := make([]float64, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	return keys, vals
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func duration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
}

func clock(ms int64) string {
	s := ms / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func ratioText(n, of int) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", float64(n)/float64(of))
}

func percentText(n, of int) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

func trimNumber(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

func unit(u string) string {
	switch u {
	case "%", "s", "ms", "pp":
		return u
	case "x":
		return "×"
	case "":
		return ""
	}
	return " " + u
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
