// A two-origin test site for page assets: a page origin and a "CDN" origin
// that sends no CORS headers (fonts excepted: browsers refuse a
// cross-origin web font without them). The pictures and the font are the
// demo shop's (assets/demo), so they have realistic weights.
//
//   /            every kind of asset reference a replay has to carry:
//                a same-origin image, a CDN image, a srcset image, a CDN
//                stylesheet whose rule changes layout, a web font from the
//                CDN, a CSS background image from that stylesheet, and an
//                image the page's script adds when "Show more" is clicked
//   /limits.html an image the CDN answers 404 for, beside one it serves
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const DEMO = normalize(join(fileURLToPath(new URL(".", import.meta.url)), "../../demo"));

/** What the CDN stylesheet does, for assertions on the replayed page. */
export const CDN_RULES = { boxedWidth: 321, font: "Fraunces" };

const cdnCSS = `@font-face {
  font-family: "${CDN_RULES.font}";
  font-weight: 700;
  src: url(fonts/fraunces-latin-700-normal.woff2) format("woff2");
}
.brand { font-family: "${CDN_RULES.font}", serif; font-weight: 700; }
.boxed { width: ${CDN_RULES.boxedWidth}px; padding: 0; border: 0; background: #2f6b4f; color: #fff; }
.bg { height: 120px; background: #eee url(img/linen.jpg) repeat; }
`;

function page(collector, cdn, title, body) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${cdn}/cdn.css">
<style>body { margin: 16px; font: 16px "Liberation Sans", Arial, sans-serif; } img { display: inline-block; vertical-align: top; }</style>
<script async src="${collector}/t.js" data-site="demo"></script>
</head>
<body>
${body}
</body>
</html>
`;
}

function assetsPage(collector, cdn) {
  return page(
    collector,
    cdn,
    "Assets",
    `<h1 class="brand">Fernhill assets</h1>
<img id="same" src="/img/hero.jpg" width="360" height="160" alt="same origin">
<img id="cdn" src="${cdn}/img/mug-480.jpg" width="240" height="180" alt="from the CDN">
<img id="srcset" src="${cdn}/img/lantern-480.jpg" srcset="${cdn}/img/lantern-480.jpg 480w, ${cdn}/img/lantern-960.jpg 960w" sizes="240px" width="240" height="180" alt="srcset">
<div class="boxed" id="boxed">A box the CDN stylesheet sizes</div>
<div class="bg" id="bg"></div>
<button id="more" type="button">Show more</button>
<div id="late-slot"></div>
<script>
document.getElementById("more").addEventListener("click", function () {
  var img = new Image(240, 180);
  img.id = "late";
  img.alt = "added by script";
  img.src = ${JSON.stringify(cdn + "/img/stove-480.jpg")};
  document.getElementById("late-slot").appendChild(img);
});
</script>`,
  );
}

function limitsPage(collector, cdn) {
  return page(
    collector,
    cdn,
    "Limits",
    `<h1 class="brand">Limits</h1>
<img id="kept" src="${cdn}/img/map-480.jpg" width="240" height="180" alt="served">
<img id="gone" src="${cdn}/img/gone.jpg" width="240" height="180" alt="answers 404">`,
  );
}

const TYPES = { ".jpg": "image/jpeg", ".woff2": "font/woff2" };

async function serveFile(res, file, headers = {}) {
  try {
    const body = await readFile(file);
    res.writeHead(200, { "Content-Type": TYPES[file.slice(file.lastIndexOf("."))], "Cache-Control": "public, max-age=3600", ...headers });
    res.end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found");
  }
}

async function listen(server, port) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return `http://127.0.0.1:${server.address().port}`;
}

/**
 * Starts the page origin on port and the CDN origin on cdnPort (0: any
 * free port); pages load the tracker from collector. Every request either
 * server answers is counted in `requests`.
 */
export async function startAssetSite({ port = 0, cdnPort = 0, collector }) {
  const requests = [];
  const cdnServer = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    requests.push("cdn " + path);
    if (path === "/cdn.css") {
      res.writeHead(200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" });
      return res.end(cdnCSS);
    }
    const m = path.match(/^\/(img\/[a-z]+-?\d*\.jpg|fonts\/[a-z0-9-]+\.woff2)$/);
    if (!m) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      return res.end("not found");
    }
    const cors = m[1].endsWith(".woff2") ? { "Access-Control-Allow-Origin": "*" } : {};
    return serveFile(res, join(DEMO, "cdn", m[1]), cors);
  });
  const cdn = await listen(cdnServer, cdnPort);
  const pageServer = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    requests.push("page " + path);
    if (path === "/" || path === "/limits.html") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      return res.end(path === "/" ? assetsPage(collector, cdn) : limitsPage(collector, cdn));
    }
    if (path === "/img/hero.jpg") return serveFile(res, join(DEMO, "site/img/hero.jpg"));
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found");
  });
  const origin = await listen(pageServer, port);
  const close = (s) => new Promise((r) => (s.closeAllConnections(), s.close(() => r())));
  return { origin, cdn, requests, close: () => Promise.all([close(pageServer), close(cdnServer)]) };
}
