// Looks for a string in files, also inside any gzip streams they hold
// (archives are gzip; a workspace may keep replay data compressed).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync, inflateRawSync, constants } from "node:zlib";

/** Lists every regular file under dir, recursively. */
export async function walk(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Texts to search in bytes: the bytes, and every gzip member found in them. */
export function expand(buf) {
  const texts = [buf];
  for (let i = buf.indexOf(Buffer.from([0x1f, 0x8b, 0x08])); i >= 0; i = buf.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), i + 1)) {
    try {
      texts.push(gunzipSync(buf.subarray(i), { finishFlush: constants.Z_SYNC_FLUSH }));
    } catch {
      try {
        // A gzip member followed by other bytes: inflate the deflate body.
        texts.push(inflateRawSync(buf.subarray(i + 10), { finishFlush: constants.Z_SYNC_FLUSH }));
      } catch {
        // not a gzip stream after all
      }
    }
  }
  return texts;
}

/** Returns the files under paths whose bytes (or gzip contents) contain needle. */
export async function filesContaining(paths, needle) {
  const hits = [];
  const n = Buffer.from(needle);
  for (const p of paths) {
    let buf;
    try {
      buf = await readFile(p);
    } catch {
      continue; // removed meanwhile (e.g. a -wal file)
    }
    if (expand(buf).some((t) => t.includes(n))) hits.push(p);
  }
  return hits;
}
