// A tiny static server for the demo shop, used by the recording script and
// the end-to-end test. Besides the site's files it serves the built tracker
// at /t.js and the two API endpoints the shop calls (assets/demo/README.md):
// any path under /api/fail answers 500, /api/ok (and below) answers 200 JSON.
// A second listener plays the shop's CDN: the files of demo/cdn, with no
// CORS headers except on fonts (browsers load web fonts only with them);
// the shop's pages and scripts get its origin in place of CDN_PLACEHOLDER.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
export const SITE_DIR = normalize(join(here, "../../demo/site"));
export const CDN_DIR = normalize(join(here, "../../demo/cdn"));
export const CDN_PLACEHOLDER = "https://cdn.fernhill.invalid";
export const TRACKER_FILE = normalize(join(here, "../../dist/tracker/t.js"));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** Answers /api/ok and /api/fail requests; returns false for other paths. */
export function handleAPI(path, res) {
  if (path === "/api/fail" || path.startsWith("/api/fail/")) {
    res.writeHead(500, { "Content-Type": "application/json" });
    res.end('{"error":"service unavailable"}');
    return true;
  }
  if (path === "/api/ok" || path.startsWith("/api/ok/")) {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end('{"ok":true}');
    return true;
  }
  return false;
}

/** The file of dir that a URL path names; null when it falls outside dir. */
function inside(dir, path) {
  const file = normalize(join(dir, path.endsWith("/") ? path + "index.html" : path));
  return file.startsWith(dir + sep) ? file : null;
}

/** Listens on 127.0.0.1:port and returns the server and its origin. */
async function listen(server, port) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return `http://127.0.0.1:${server.address().port}`;
}

/**
 * Serves demo/cdn as a CDN would: long-cached files, no CORS headers but on
 * fonts (a cross-origin web font without them is refused by the browser).
 */
function cdnServer() {
  return createServer(async (req, res) => {
    try {
      const file = inside(CDN_DIR, decodeURIComponent(new URL(req.url, "http://localhost").pathname));
      if (!file) return res.writeHead(403).end();
      const body = await readFile(file);
      const headers = { "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Cache-Control": "public, max-age=86400" };
      if (file.endsWith(".woff2")) headers["Access-Control-Allow-Origin"] = "*";
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
    }
  });
}

/**
 * Starts the shop server on 127.0.0.1:port (0 = any free port) and its
 * CDN on cdnPort (default: any free port). With onIngest, the shop also
 * accepts POST /v1/ingest like a collector that keeps nothing, handing each
 * raw body to onIngest (for recording visits); onIngest may return an HTTP
 * status to answer with (default 200).
 */
export async function startShop(port = 0, onIngest = null, { cdnPort = 0 } = {}) {
  const cdn = cdnServer();
  const cdnOrigin = await listen(cdn, cdnPort);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      const path = decodeURIComponent(url.pathname);
      if (onIngest && path === "/v1/ingest" && req.method === "POST") {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const status = onIngest(Buffer.concat(chunks), req) || 200;
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(status === 200 ? '{"ok":true,"duplicate":false}' : '{"error":"unavailable"}');
        return;
      }
      if (handleAPI(path, res)) return;
      let file;
      if (path === "/t.js") file = TRACKER_FILE;
      else {
        file = inside(SITE_DIR, path);
        if (!file) {
          res.writeHead(403).end();
          return;
        }
      }
      let body = await readFile(file);
      if (file !== TRACKER_FILE && (file.endsWith(".html") || file.endsWith(".js"))) {
        body = body.toString("utf8").replaceAll(CDN_PLACEHOLDER, cdnOrigin);
      }
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
    }
  });
  const origin = await listen(server, port);
  const close = (s) => new Promise((r) => (s.closeAllConnections(), s.close(() => r())));
  return {
    origin,
    cdnOrigin,
    close: () => Promise.all([close(server), close(cdn)]),
  };
}
