package collector

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
)

// assetType decides whether fetched bytes are an asset Loupe keeps (an
// image, a font or a stylesheet) and names their type. It needs both the
// declared Content-Type and the bytes to agree: a server that labels an
// HTML page image/png does not get it into a replay, and a stylesheet is
// taken only when it is declared text/css and does not look like markup.
// reason is the manifest's missing reason when the answer is no.
func assetType(declared string, head []byte) (typ, reason string) {
	media, _, err := mime.ParseMediaType(declared)
	if err != nil {
		media = strings.ToLower(strings.TrimSpace(strings.Split(declared, ";")[0]))
	}
	if media == "" {
		media = "none"
	}
	sniffed := http.DetectContentType(head)
	sniffMedia, _, _ := strings.Cut(sniffed, ";")
	font := fontType(head)
	refuse := func(what string) (string, string) {
		return "", "refused: content type " + strings.TrimPrefix(what, " ")
	}
	if sniffMedia == "text/html" {
		return refuse("text/html")
	}
	switch {
	case media == "image/svg+xml":
		if (sniffMedia == "text/xml" || sniffMedia == "text/plain") && bytes.Contains(bytes.ToLower(head), []byte("<svg")) {
			return "image/svg+xml", ""
		}
		return refuse(media + " that is " + sniffMedia)
	case strings.HasPrefix(media, "image/"):
		switch {
		case strings.HasPrefix(sniffMedia, "image/"):
			return sniffMedia, "" // the bytes say which image format it is
		case media == "image/avif" && len(head) >= 12 && string(head[4:8]) == "ftyp":
			return media, ""
		}
		return refuse(media + " that is " + sniffMedia)
	case media == "text/css":
		if sniffMedia == "text/plain" {
			return "text/css", ""
		}
		return refuse("text/css that is " + sniffMedia)
	case strings.HasPrefix(media, "font/"), strings.HasPrefix(media, "application/font-"),
		strings.HasPrefix(media, "application/x-font"), media == "application/vnd.ms-fontobject",
		media == "application/octet-stream", media == "binary/octet-stream", media == "none":
		// Fonts are often served with a generic type: their magic number
		// decides.
		if font != "" {
			return font, ""
		}
		if strings.HasPrefix(sniffMedia, "image/") && !strings.HasPrefix(media, "font/") {
			return sniffMedia, ""
		}
		return refuse(media + " that is " + sniffMedia)
	}
	return refuse(media)
}

// fontType names a font format by its magic number, or "".
func fontType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("wOF2")):
		return "font/woff2"
	case bytes.HasPrefix(b, []byte("wOFF")):
		return "font/woff"
	case bytes.HasPrefix(b, []byte("OTTO")):
		return "font/otf"
	case bytes.HasPrefix(b, []byte{0, 1, 0, 0}), bytes.HasPrefix(b, []byte("true")):
		return "font/ttf"
	case bytes.HasPrefix(b, []byte("ttcf")):
		return "font/collection"
	case len(b) >= 36 && b[34] == 'L' && b[35] == 'P':
		return "application/vnd.ms-fontobject"
	}
	return ""
}
