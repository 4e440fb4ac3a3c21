// fetch and XHR timing as rrweb network plugin events ("rrweb/network@1"),
// so Loupe streams and plain rrweb recordings are read the same way.
// Method, URL, status and times only: no headers, no bodies.

import { attempt } from "./safe";
import { PLUGIN, type Emit } from "./events";

/** One request as the network plugin reports it; times are epoch ms. */
export interface RequestRecord {
  name: string;
  method: string;
  status: number; // 0 for a network error
  startTime: number;
  endTime: number;
  initiatorType: "fetch" | "xmlhttprequest";
}

/** The plugin event for a finished request. */
export function networkEvent(r: RequestRecord, now = Date.now()) {
  return { type: PLUGIN, data: { plugin: "rrweb/network@1", payload: { requests: [r] } }, timestamp: now };
}

/**
 * Patches window.fetch and XMLHttpRequest. `skip` says which URLs are the
 * tracker's own (its ingest requests are never recorded).
 */
export function watchNetwork(win: Window, emit: Emit, skip: (url: string) => boolean): void {
  const origFetch = win.fetch;
  if (typeof origFetch === "function") {
    win.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const started = Date.now();
      let url = "";
      let method = "GET";
      attempt(() => {
        if (typeof input === "string") url = input;
        else if (input instanceof URL) url = input.href;
        else if (input && typeof (input as Request).url === "string") {
          url = (input as Request).url;
          method = (input as Request).method || method;
        }
        if (init && init.method) method = init.method;
        url = new URL(url, win.location.href).href;
      });
      const p = origFetch.call(this ?? win, input as RequestInfo, init);
      if (skip(url)) return p;
      const report = (status: number) =>
        attempt(() =>
          emit(
            networkEvent({
              name: url,
              method: method.toUpperCase(),
              status,
              startTime: started,
              endTime: Date.now(),
              initiatorType: "fetch",
            }),
          ),
        );
      p.then(
        (res) => report(res.status),
        () => report(0),
      );
      return p;
    } as typeof win.fetch;
  }

  const XHR = (win as unknown as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
  if (!XHR) return;
  const proto = XHR.prototype;
  const origOpen = proto.open;
  const origSend = proto.send;
  const info = new WeakMap<XMLHttpRequest, { method: string; url: string }>();
  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    attempt(() => info.set(this, { method: String(method).toUpperCase(), url: new URL(String(url), win.location.href).href }));
    return (origOpen as (...a: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof proto.open;
  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    attempt(() => {
      const i = info.get(this);
      if (!i || skip(i.url)) return;
      const started = Date.now();
      this.addEventListener("loadend", () =>
        attempt(() =>
          emit(
            networkEvent({
              name: i.url,
              method: i.method,
              status: this.status,
              startTime: started,
              endTime: Date.now(),
              initiatorType: "xmlhttprequest",
            }),
          ),
        ),
      );
    });
    return origSend.call(this, body);
  };
}

/**
 * Reports fetch/XHR requests that started before the patches above were in
 * place (the tracker loads async, so a page's first API calls often beat
 * it), from the Resource Timing buffer. Method is unknown there and left
 * empty; status comes from responseStatus where the browser provides it.
 */
export function backfillRequests(win: Window, emit: Emit, skip: (url: string) => boolean): void {
  const perf = win.performance;
  if (!perf || typeof perf.getEntriesByType !== "function") return;
  const patchedAt = perf.now();
  const origin = perf.timeOrigin || Date.now() - patchedAt;
  const report = (e: PerformanceEntry) =>
    attempt(() => {
      const r = e as PerformanceResourceTiming & { responseStatus?: number };
      if (r.initiatorType !== "fetch" && r.initiatorType !== "xmlhttprequest") return;
      if (r.startTime >= patchedAt || skip(r.name)) return;
      emit(
        networkEvent({
          name: r.name,
          method: "",
          status: typeof r.responseStatus === "number" ? r.responseStatus : 0,
          startTime: Math.round(origin + r.startTime),
          endTime: Math.round(origin + r.responseEnd),
          initiatorType: r.initiatorType as "fetch" | "xmlhttprequest",
        }),
      );
    });
  perf.getEntriesByType("resource").forEach(report);
  // Requests still in flight now appear in the buffer when they finish.
  attempt(() => {
    const obs = new PerformanceObserver((list) => list.getEntries().forEach(report));
    obs.observe({ type: "resource" });
    win.setTimeout(() => obs.disconnect(), 60_000);
  });
}
