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
  /** Absolute URL of the feedback prompt's script, loaded when a rule matches. */
  feedbackScript: string;
  /** The tag's CSP nonce, given to the script tags the tracker adds. */
  nonce: string;
}

/** The collector's file `name` (beside v1/ingest), e.g. t-feedback.js. */
export function collectorFile(ingest: string, name: string): string {
  return new URL("../" + name, ingest).href;
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
  const ingest = ingestURL(s.src, s.getAttribute("data-collector"));
  return {
    site: s.getAttribute("data-site") || "default",
    ingest,
    feedbackScript: collectorFile(ingest, "t-feedback.js"),
    nonce: s.nonce || "",
    feedback: s.getAttribute("data-feedback"),
    keepParams: s.getAttribute("data-keep-params"),
    consent: s.getAttribute("data-consent"),
  };
}
