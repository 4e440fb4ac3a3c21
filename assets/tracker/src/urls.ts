// Query strings and fragments leave the page only as far as an allow-list
// says: password-reset links, OAuth redirects (`#access_token=`), signed
// URLs and API keys live there. The path is kept: it names the page.

/** Parameters kept by default: campaign attribution, nothing personal. */
export const DEFAULT_KEEP = ["utm_*", "gclid", "fbclid", "msclkid", "ref"];

/** Says whether a query parameter name is kept. */
export type Keep = (name: string) => boolean;

/**
 * The allow-list: DEFAULT_KEEP plus the names in `extra` (the tag's
 * data-keep-params, comma or space separated). `name*` keeps every name
 * that starts with `name`; names are compared case-insensitively.
 */
export function keeper(extra: string | null = null): Keep {
  const names = DEFAULT_KEEP.concat((extra || "").split(/[\s,]+/)).map((n) => n.trim().toLowerCase()).filter(Boolean);
  const exact = new Set(names.filter((n) => !n.endsWith("*")));
  const prefixes = names.filter((n) => n.endsWith("*")).map((n) => n.slice(0, -1));
  return (name) => {
    const n = name.toLowerCase();
    return exact.has(n) || prefixes.some((p) => n.startsWith(p));
  };
}

function paramName(pair: string): string {
  const raw = pair.split("=")[0].replace(/\+/g, " ");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** "a=1&b=2" with only the kept parameters, "" when none is. */
function filterParams(query: string, keep: Keep): string {
  return query
    .split("&")
    .filter((p) => p !== "" && keep(paramName(p)))
    .join("&");
}

// A fragment that is an in-page anchor ("#reviews", "#section-2") is kept:
// letters, "-" and "_", at most 3 digits. Tokens have more digits.
const ANCHOR = /^[A-Za-z][\w-]{0,63}$/;
const anchorLike = (f: string) => ANCHOR.test(f) && (f.match(/\d/g) || []).length <= 3;

/**
 * The fragment without secrets: an anchor stays; a hash route ("#/cart",
 * "#!/cart") keeps its path and filters its own query; parameters
 * ("#access_token=…&state=…") are filtered like a query; anything else
 * goes.
 */
function filterFragment(frag: string, keep: Keep): string {
  if (frag === "" || anchorLike(frag)) return frag;
  const route = /^!?\//.test(frag);
  const q = frag.indexOf("?");
  if (route) {
    const path = q < 0 ? frag : frag.slice(0, q);
    const kept = q < 0 ? "" : filterParams(frag.slice(q + 1), keep);
    return kept ? path + "?" + kept : path;
  }
  if (frag.indexOf("=") >= 0) return filterParams(frag, keep);
  return "";
}

// Schemes whose text after "?" or "#" is not a query or fragment of a page.
const OPAQUE = /^(?:data|blob|javascript|about|mailto|tel):/i;

/**
 * Strips a URL (absolute or relative) down to its path plus the kept
 * query parameters and a harmless fragment. Other strings pass unchanged.
 */
export function stripURL(url: string, keep: Keep): string {
  if (typeof url !== "string" || OPAQUE.test(url.trim())) return url;
  let rest = url;
  let frag: string | null = null;
  const h = rest.indexOf("#");
  if (h >= 0) {
    frag = rest.slice(h + 1);
    rest = rest.slice(0, h);
  }
  let query: string | null = null;
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (query !== null) {
    const kept = filterParams(query, keep);
    if (kept) rest += "?" + kept;
  }
  if (frag !== null) {
    const kept = filterFragment(frag, keep);
    if (kept) rest += "#" + kept;
  }
  return rest;
}

// A URL inside text (a stack, a console message); it ends at whitespace,
// quotes, brackets or a backslash (JSON escapes).
const URL_IN_TEXT = /\b(?:https?|wss?|file):\/\/[^\s"'`<>()[\]{}\\]+/gi;
// Stack frames append ":line:col" to the URL, after any query.
const POSITION = /(?::\d+){1,2}$/;

/** Strips every http(s), ws(s) and file URL found in text; see stripURL. */
export function stripURLsIn(text: string, keep: Keep): string {
  if (typeof text !== "string" || text.indexOf("://") < 0) return text;
  return text.replace(URL_IN_TEXT, (u) => {
    if (u.indexOf("?") < 0 && u.indexOf("#") < 0) return u;
    const pos = u.match(POSITION);
    const body = pos ? u.slice(0, u.length - pos[0].length) : u;
    return stripURL(body, keep) + (pos ? pos[0] : "");
  });
}

/** srcset: "url 1x, url 2x" with every URL stripped. */
export function stripSrcset(srcset: string, keep: Keep): string {
  return srcset
    .split(",")
    .map((part) => {
      const m = part.match(/^(\s*)(\S+)(.*)$/);
      return m ? m[1] + stripURL(m[2], keep) + m[3] : part;
    })
    .join(",");
}
