// How the e2e tests wait for the tracker: on what it has delivered and
// what the page shows, never on a timer. A sleep long enough on an idle
// machine is too short on a loaded one.
import { until } from "./procs.mjs";

/**
 * Flushes the tracker and waits until every batch it queued has been
 * acknowledged: its persisted queue (sessionStorage "loupe_q") is empty.
 */
export async function flushed(page) {
  await page.evaluate(() => window.loupe.flush());
  await page.waitForFunction(() => (sessionStorage.getItem("loupe_q") ?? "[]") === "[]", null, { timeout: 30_000 });
}

/**
 * Leaves the page for about:blank and waits for the requests it made to
 * the ingest endpoint while unloading (its last batch) to finish.
 */
export async function leave(page) {
  const open = new Set();
  const on = (r) => r.url().includes("/v1/ingest") && open.add(r);
  const off = (r) => open.delete(r);
  // A keepalive request gets a response but never "requestfinished".
  page.on("request", on);
  page.on("response", (res) => off(res.request()));
  page.on("requestfinished", off);
  page.on("requestfailed", off);
  await page.goto("about:blank");
  await until("the page's last ingest requests", () => open.size === 0, { timeoutMs: 15_000, intervalMs: 50 });
}
