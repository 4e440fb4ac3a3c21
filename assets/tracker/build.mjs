// Builds dist t.js (one minified IIFE) and, with --tests, the unit tests
// as ES modules for node's test runner.
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;

if (process.argv.includes("--tests")) {
  rmSync(here + "test-dist", { recursive: true, force: true });
  const entries = readdirSync(here + "test").filter((f) => f.endsWith(".test.ts")).map((f) => here + "test/" + f);
  await build({
    entryPoints: entries,
    outdir: here + "test-dist",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
} else {
  await build({
    entryPoints: [here + "src/index.ts"],
    outfile: here + "../dist/tracker/t.js",
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2019",
    legalComments: "none",
    logLevel: "warning",
  });
}
