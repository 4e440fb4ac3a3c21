package report

import (
	_ "embed"
)

// echartsJS is Apache ECharts 6.0.0, the release the workbench bundles,
// inlined into every report so it opens with no network (see
// echarts/README.md for why it is vendored).
//
//go:embed echarts/echarts.min.js
var echartsJS string

// echartsSHA256 is the digest of the vendored file, checked by a test so
// an accidental edit is caught.
const echartsSHA256 = "baa8dfe7e1d9336b98e8986ba7e20ea15e7cdbea1ef42a59d59478632fa45a1d"

//go:embed report.html.tmpl
var pageTemplate string
