// Builds dist t.js (one minified IIFE) and t-feedback.js (the feedback
// prompt's widget, loaded by t.js only when a prompt rule matches the page)
// and, with --tests, the unit tests as ES modules for node's test runner.
import { build } from "esbuild";
import { readFileSync, readdirSync, rmSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;

// @rrweb/record ships as one pre-bundled file, so esbuild cannot drop its
// canvas recording (the 2D/WebGL patches, an inline image worker) even
// though the tracker never sets recordCanvas. With recordCanvas unset,
// rrweb's CanvasManager records nothing: its constructor only starts
// observers when recordCanvas is true, and the rest of rrweb only calls
// reset, freeze, unfreeze, lock and unlock on it. This plugin replaces that
// code with a class of the same no-ops. It fails the build when the file no
// longer looks as expected (another rrweb version), rather than guess.
const CANVAS_START = '\nvar chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";\n';
const CANVAS_CLASS = "\nclass CanvasManager {\n";
const CANVAS_END = "\nclass StylesheetManager {\n";
const CANVAS_STUB =
  "\n// canvas recording removed at build time (the tracker never records canvas)\n" +
  "class CanvasManager { reset() {} freeze() {} unfreeze() {} lock() {} unlock() {} }\n";

const withoutCanvas = {
  name: "rrweb-without-canvas",
  setup(b) {
    b.onLoad({ filter: /@rrweb[\\/]record[\\/]dist[\\/]record\.js$/ }, (args) => {
      const src = readFileSync(args.path, "utf8");
      const start = src.indexOf(CANVAS_START);
      const cls = src.indexOf(CANVAS_CLASS);
      const end = src.indexOf(CANVAS_END);
      const once = (s) => src.indexOf(s) === src.lastIndexOf(s);
      if (start < 0 || cls < start || end < cls || ![CANVAS_START, CANVAS_CLASS, CANVAS_END].every(once)) {
        throw new Error(`${args.path}: canvas code not where @rrweb/record 2.1.6 has it; update build.mjs for this version`);
      }
      return { contents: src.slice(0, start) + CANVAS_STUB + src.slice(end), loader: "js" };
    });
  },
};

const browser = {
  bundle: true,
  minify: true,
  format: "iife",
  // Every browser rrweb 2 records in runs ES2020 (optional chaining, ??).
  target: "es2020",
  legalComments: "none",
  charset: "utf8",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
  plugins: [withoutCanvas],
};

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
  await build({ ...browser, entryPoints: [here + "src/index.ts"], outfile: here + "../dist/tracker/t.js" });
  await build({ ...browser, entryPoints: [here + "src/feedback/chunk.ts"], outfile: here + "../dist/tracker/t-feedback.js" });
}
