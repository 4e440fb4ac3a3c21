package share

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html"
)

// CSP is the file's Content Security Policy: nothing loads from any
// network; images, fonts and styles come from the file itself (data: and
// blob: URIs, inline styles) and the only script allowed is the player's,
// by its digest.
func CSP(scriptHash string) string {
	return "default-src 'none'; img-src data: blob:; media-src data: blob:; style-src 'unsafe-inline' data:; " +
		"font-src data:; script-src '" + scriptHash + "'; frame-src blob: about:; base-uri 'none'; form-action 'none'"
}

// render assembles the file: CSP, stylesheet, the payload as an inert
// JSON script block, and the player's script.
func render(title string, data []byte, p Player) []byte {
	// json.Marshal escapes <, > and &, so the payload cannot close its
	// script element; the player's code is made safe the same way.
	js := bytes.ReplaceAll(p.JS, []byte("</script"), []byte(`<\/script`))
	sum := sha256.Sum256(js)
	hash := "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	if title == "" {
		title = "Loupe replay"
	}
	var b bytes.Buffer
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
	b.WriteString(`<meta http-equiv="Content-Security-Policy" content="` + html.EscapeString(CSP(hash)) + "\">\n")
	b.WriteString(`<meta name="referrer" content="no-referrer">` + "\n")
	b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">` + "\n")
	b.WriteString("<title>" + html.EscapeString(title) + "</title>\n<style>")
	b.Write(bytes.ReplaceAll(p.CSS, []byte("</style"), []byte(`<\/style`)))
	b.WriteString("</style></head><body>\n<div id=\"share\"></div>\n")
	b.WriteString(`<script type="application/json" id="loupe-share">`)
	b.Write(data)
	b.WriteString("</script>\n<script>")
	b.Write(js)
	b.WriteString("</script>\n</body></html>\n")
	return b.Bytes()
}
