// The last stop before an event is buffered: every URL in it is stripped
// to the allow-list (urls.ts), console output and errors are scrubbed
// (scrub.ts), and values rrweb would keep from the DOM but must not
// (hidden inputs, a field's initial value after it was cleared) are
// dropped. rrweb 2.1.6 has no hook for URLs, so the serialized nodes of
// snapshots and mutations are walked here.

import { CUSTOM, META, PLUGIN, type RREvent } from "./events";
import { scrubText } from "./scrub";
import { type Keep, stripSrcset, stripURL, stripURLsIn } from "./urls";

const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const MUTATION = 0;
const ELEMENT = 2;

/** Attributes that hold one URL (rr_src: an iframe's src as rrweb keeps it). */
const URL_ATTRS = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "poster",
  "cite",
  "data",
  "background",
  "xlink:href",
  "ping",
  "longdesc",
  "manifest",
  "rr_src",
]);

/** Input types whose value attribute is a label, not something typed. */
const LABEL_INPUTS = new Set(["submit", "button", "reset", "image", "radio", "checkbox"]);

type Attrs = Record<string, unknown>;
interface SerializedNode {
  type?: number;
  tagName?: string;
  attributes?: Attrs;
  childNodes?: SerializedNode[];
  textContent?: string;
}

/** Masks an input value the way rrweb does: one "*" per character. */
export function maskValue(text: string, el: HTMLElement | null): string {
  const type = el && (el as HTMLInputElement).type ? String((el as HTMLInputElement).type).toLowerCase() : "";
  if (type === "hidden") return ""; // not even its length
  if (LABEL_INPUTS.has(type)) return text; // a button's caption
  return "*".repeat(text.length);
}

function stripAttrs(attrs: Attrs, keep: Keep): void {
  for (const name of Object.keys(attrs)) {
    const v = attrs[name];
    if (typeof v !== "string") continue;
    const n = name.toLowerCase();
    if (URL_ATTRS.has(n)) attrs[name] = stripURL(v, keep);
    else if (n === "srcset") attrs[name] = stripSrcset(v, keep);
  }
}

/** A serialized node and its descendants, in place. */
export function cleanNode(node: SerializedNode, keep: Keep): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop() as SerializedNode;
    if (n.type === ELEMENT && n.attributes) {
      const a = n.attributes;
      stripAttrs(a, keep);
      const tag = String(n.tagName || "").toLowerCase();
      const type = String(a.type || "").toLowerCase();
      if (tag === "input" && type === "hidden") delete a.value;
      else if ((tag === "input" && !LABEL_INPUTS.has(type)) || tag === "textarea") {
        // rrweb copies the value attribute first and masks only a non-empty
        // current value, so a prefilled field the visitor cleared would
        // still carry its initial value.
        if (typeof a.value === "string" && /[^*]/.test(a.value)) a.value = "*".repeat(a.value.length);
        // A textarea without a current value is serialized with its
        // initial text as a child instead.
        for (const c of n.childNodes || []) if (typeof c.textContent === "string") c.textContent = c.textContent.replace(/\S/g, "*");
      }
    }
    if (n.childNodes) for (const c of n.childNodes) stack.push(c);
  }
}

function cleanStrings(list: unknown, fn: (s: string) => string): unknown {
  return Array.isArray(list) ? list.map((s) => (typeof s === "string" ? fn(s) : s)) : list;
}

/** Removes what must not leave the page from ev, in place; returns ev. */
export function privatize(ev: RREvent, keep: Keep): RREvent {
  const d = ev.data as Record<string, unknown> | null;
  if (!d || typeof d !== "object") return ev;
  const text = (s: string) => scrubText(stripURLsIn(s, keep));
  switch (ev.type) {
    case META:
      if (typeof d.href === "string") d.href = stripURL(d.href, keep);
      break;
    case FULL_SNAPSHOT:
      if (d.node) cleanNode(d.node as SerializedNode, keep);
      break;
    case INCREMENTAL:
      if (d.source !== MUTATION) break;
      for (const add of (d.adds as { node?: SerializedNode }[]) || []) if (add.node) cleanNode(add.node, keep);
      for (const m of (d.attributes as { attributes?: Attrs }[]) || []) if (m.attributes) stripAttrs(m.attributes, keep);
      break;
    case PLUGIN: {
      const p = d.payload as Record<string, unknown> | undefined;
      if (!p) break;
      if (d.plugin === "rrweb/console@1") {
        p.payload = cleanStrings(p.payload, text);
        p.trace = cleanStrings(p.trace, (s) => stripURLsIn(s, keep));
      } else if (d.plugin === "rrweb/network@1") {
        for (const r of (p.requests as { name?: unknown }[]) || []) if (typeof r.name === "string") r.name = stripURL(r.name, keep);
      }
      break;
    }
    case CUSTOM:
      if (d.tag === "loupe/error" && d.payload && typeof d.payload === "object") {
        const e = d.payload as Record<string, unknown>;
        if (typeof e.message === "string") e.message = text(e.message);
        if (typeof e.stack === "string") e.stack = text(e.stack);
        if (typeof e.source === "string") e.source = stripURL(e.source, keep);
      }
      break;
  }
  return ev;
}
