package report

import (
	_ "embed"
)

// echartsJS is Apache ECharts 5.6.0, inlined into every report so it opens
// with no network (see echarts/README.md for why it is vendored).
//
//go:embed echarts/echarts.min.js
var echartsJS string

// echartsSHA256 is the digest of the vendored file, checked by a test so
// an accidental edit is caught.
const echartsSHA256 = "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"

//go:embed report.html.tmpl
var pageTemplate string
