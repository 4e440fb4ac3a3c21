// Retry timing for failed sends: exponential backoff with "equal jitter"
// (half fixed, half random), so many tabs that failed together do not retry
// together, and no retry comes sooner than half the nominal delay.

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 60_000;

/** Delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, rand: () => number = Math.random): number {
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * Math.pow(2, Math.max(0, Math.min(attempt, 30))));
  const r = Math.min(1, Math.max(0, rand()));
  return Math.round(exp / 2 + (exp / 2) * r);
}

/** What to do after a send finished with `status` (0 = network error). */
export type Outcome = "done" | "retry" | "drop";

/**
 * Classifies a response: 2xx is done; network errors, 5xx and 429 (the
 * collector is at its cap of open sessions for now) are retried; any other
 * 4xx means the batch will never be accepted, so it is dropped rather than
 * retried forever.
 */
export function classify(status: number): Outcome {
  if (status >= 200 && status < 300) return "done";
  if (status === 0 || status >= 500 || status === 429) return "retry";
  return "drop";
}
