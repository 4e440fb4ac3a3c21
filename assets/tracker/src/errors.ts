// Uncaught errors and unhandled promise rejections as Custom `loupe/error`.

import { custom, type Emit } from "./events";
import { attempt } from "./safe";

const MAX_STACK = 4000;

/** The loupe/error payload. */
export interface ErrorPayload {
  message: string;
  source: string;
  line: number;
  col: number;
  stack: string;
  kind: "error" | "rejection";
}

/** Describes a thrown value (Error or anything else) as message and stack. */
export function describe(v: unknown): { message: string; stack: string } {
  if (v instanceof Error || (v && typeof v === "object" && "message" in v)) {
    const e = v as Error;
    return { message: String(e.name ? e.name + ": " + e.message : e.message), stack: String(e.stack || "").slice(0, MAX_STACK) };
  }
  let message = "";
  attempt(() => (message = typeof v === "string" ? v : JSON.stringify(v)));
  return { message: message || String(v), stack: "" };
}

/** Listens for window errors and unhandled rejections. */
export function watchErrors(win: Window, emit: Emit): void {
  win.addEventListener("error", (ev: Event) =>
    attempt(() => {
      // Resource load failures do not bubble to window; only script errors reach here.
      if (!(ev instanceof ErrorEvent)) return;
      const d = ev.error !== undefined && ev.error !== null ? describe(ev.error) : { message: ev.message, stack: "" };
      const p: ErrorPayload = {
        message: (d.message || ev.message || "Script error").slice(0, 1000),
        source: ev.filename || "",
        line: ev.lineno || 0,
        col: ev.colno || 0,
        stack: d.stack,
        kind: "error",
      };
      emit(custom("loupe/error", p));
    }),
  );
  win.addEventListener("unhandledrejection", (ev: PromiseRejectionEvent) =>
    attempt(() => {
      const d = describe(ev.reason);
      const p: ErrorPayload = {
        message: ("Unhandled rejection: " + d.message).slice(0, 1000),
        source: "",
        line: 0,
        col: 0,
        stack: d.stack,
        kind: "rejection",
      };
      emit(custom("loupe/error", p));
    }),
  );
}
