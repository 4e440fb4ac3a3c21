// Child processes and HTTP polling for the end-to-end test.
import { spawn } from "node:child_process";

/** Starts a binary; output is kept for error messages. */
export function start(bin, args, { env } = {}) {
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => (out.stdout += d));
  child.stderr.on("data", (d) => (out.stderr += d));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    out,
    exited,
    /** Stops the process (SIGTERM, then SIGKILL after a grace period). */
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Runs a binary to completion; rejects with its stderr on a non-zero exit. */
export function run(bin, args, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = start(bin, args);
    const t = setTimeout(() => p.child.kill("SIGKILL"), timeoutMs);
    p.exited.then(({ code, signal }) => {
      clearTimeout(t);
      if (code === 0) resolve(p.out);
      else reject(new Error(`${bin} ${args.join(" ")} exited ${code ?? signal}:\n${p.out.stderr}${p.out.stdout}`));
    });
  });
}

/** Polls fn every intervalMs until it returns a truthy value or time runs out. */
export async function until(what, fn, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ": " + last.message : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Waits for the address a started `loupe serve` prints: it carries the
 * launch key, which the first page load trades for a cookie.
 */
export function servedAddress(proc, { timeoutMs = 30_000 } = {}) {
  return until("the address loupe serve prints", async () => proc.out.stdout.match(/Loupe workbench: (http:\/\/\S+)\n/)?.[1], { timeoutMs });
}
