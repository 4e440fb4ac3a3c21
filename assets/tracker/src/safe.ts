// The tracker runs inside someone else's page: nothing it does may throw
// into the host. Every entry point (listeners, timers, patched APIs, the
// public loupe.* calls) goes through safe().

/** Wraps fn so any exception is swallowed and undefined is returned. */
export function safe<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch {
      return undefined;
    }
  };
}

/** Runs fn now, swallowing any exception. */
export function attempt<R>(fn: () => R): R | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
