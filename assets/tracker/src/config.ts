// Where to send: the collector endpoint is derived from the script's own
// src (`<script src="https://collector/t.js" data-site="demo" async>`), so a
// site installs the tracker with one tag and no configuration object.

/** The tracker's settings for this page. */
export interface Config {
  site: string;
  /** Absolute URL of POST /v1/ingest. */
  ingest: string;
  /** Feedback prompt rules: the data-feedback attribute (JSON), if any. */
  feedback: string | null;
  /** Query parameters kept in recorded URLs besides the defaults: data-keep-params. */
  keepParams: string | null;
  /** data-consent: "required" records nothing until loupe.optIn(). */
  consent: string | null;
}

/** Derives the ingest URL from the script src, or from data-collector. */
export function ingestURL(src: string, collector: string | null): string {
  if (collector) return new URL("v1/ingest", collector.endsWith("/") ? collector : collector + "/").href;
  return new URL("v1/ingest", src).href;
}

/** Finds the tracker's script tag and reads its settings. */
export function readConfig(doc: Document): Config | null {
  let s = doc.currentScript as HTMLScriptElement | null;
  if (!s || !s.src || !s.hasAttribute("data-site")) {
    s = doc.querySelector("script[data-site][src]");
  }
  if (!s || !s.src) return null;
  return {
    site: s.getAttribute("data-site") || "default",
    ingest: ingestURL(s.src, s.getAttribute("data-collector")),
    feedback: s.getAttribute("data-feedback"),
    keepParams: s.getAttribute("data-keep-params"),
    consent: s.getAttribute("data-consent"),
  };
}
