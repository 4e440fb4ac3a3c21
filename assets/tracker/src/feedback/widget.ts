// The in-page prompt: a question, a row of scores as an ARIA radio group,
// an optional comment and a Send button, built only when a rule fires.
//
// It is kept out of the recording: the host element and the box inside its
// shadow root carry `rr-block`, so rrweb records one empty placeholder and
// none of the prompt's clicks or keystrokes. The prompt is not the site's
// page, so its clicks must not count as page clicks (dead clicks, heatmaps),
// and the answer already travels as Custom `loupe/feedback`.

import { attempt } from "../safe";
import type { Response } from "./prompter";
import { type Rule, MAX_COMMENT, SCALES } from "./rules";
import { CSS, HOST_STYLE, pageScheme } from "./style";

const THANKS_MS = 1500;

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Record<string, string> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text) e.textContent = text;
  return e;
}

/** True while the visitor is typing somewhere: the prompt then leaves focus alone. */
function typing(a: Element | null): boolean {
  return !!a && (/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) || (a as HTMLElement).isContentEditable);
}

/** Shows the prompt for rule; done receives the answer or null (dismissed). */
export function showWidget(win: Window, rule: Rule, done: (r: Response | null) => void): void {
  const doc = win.document;
  const scale = SCALES[rule.kind];
  const host = el(doc, "div", { class: "rr-block loupe-feedback" });
  host.style.cssText = HOST_STYLE;
  const root = host.attachShadow({ mode: "open" });
  // A constructed sheet is not an inline <style>, so a strict page CSP allows it.
  const adopted = attempt(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    return true;
  });
  if (!adopted) root.appendChild(el(doc, "style", {}, CSS));

  const box = el(doc, "div", { class: "rr-block box", role: "dialog", "aria-labelledby": "q" });
  box.style.colorScheme = pageScheme(win);
  const dismiss = el(doc, "button", { type: "button", class: "x", "aria-label": "Dismiss" }, "\u00d7");
  const question = el(doc, "p", { id: "q" }, rule.question);
  const group = el(doc, "div", { class: "scale", role: "radiogroup", "aria-labelledby": "q" });
  const radios: HTMLButtonElement[] = [];
  for (let n = scale.min; n <= scale.max; n++) {
    const end = n === scale.min ? ", " + scale.low : n === scale.max ? ", " + scale.high : "";
    const b = el(doc, "button", { type: "button", role: "radio", "aria-checked": "false", "aria-label": n + end }, String(n));
    b.tabIndex = radios.length ? -1 : 0;
    radios.push(b);
    group.appendChild(b);
  }
  const ends = el(doc, "div", { class: "ends", "aria-hidden": "true" });
  ends.append(el(doc, "span", {}, scale.low), el(doc, "span", {}, scale.high));
  const label = el(doc, "label", {}, "Anything to add? (optional)");
  const input = el(doc, "input", { type: "text", maxlength: String(MAX_COMMENT), autocomplete: "off" });
  label.appendChild(input);
  const send = el(doc, "button", { type: "button", class: "send" }, "Send");
  // The live region exists from the start: one added with its text already in it is often not announced.
  const status = el(doc, "p", { role: "status" });
  box.append(dismiss, question, group, ends, label, send, status);
  root.appendChild(box);

  let picked = -1;
  let closed = false;
  const before = doc.activeElement;
  const pick = (i: number) => {
    picked = i;
    radios.forEach((b, j) => {
      b.setAttribute("aria-checked", String(j === i));
      b.tabIndex = j === i ? 0 : -1;
    });
    radios[i].focus();
  };
  const close = (r: Response | null) => {
    if (closed) return;
    closed = true;
    // The answer first: nothing that goes wrong with the DOM below may lose it.
    done(r);
    // Give focus back to where the visitor was, if the prompt had taken it.
    if (root.activeElement && before && (before as HTMLElement).focus && before !== doc.body) {
      attempt(() => (before as HTMLElement).focus({ preventScroll: true }));
    }
    if (r) {
      for (const c of Array.from(box.children)) if (c !== status) c.remove();
      status.textContent = "Thank you for your feedback.";
      win.setTimeout(() => host.remove(), THANKS_MS);
    } else {
      host.remove();
    }
  };
  const submit = () => {
    if (picked < 0) radios[0].focus();
    else close({ kind: rule.kind, score: scale.min + picked, comment: input.value });
  };

  box.addEventListener("click", (e) =>
    attempt(() => {
      const i = radios.indexOf(e.target as HTMLButtonElement);
      if (i >= 0) pick(i);
      else if (e.target === send) submit();
      else if (e.target === dismiss) close(null);
    }),
  );
  box.addEventListener("keydown", (e) =>
    attempt(() => {
      // The page's own shortcuts must not act on keys typed into the prompt.
      e.stopPropagation();
      const i = radios.indexOf(e.target as HTMLButtonElement);
      const last = radios.length - 1;
      let j = -1;
      if (e.key === "Escape") close(null);
      else if (e.key === "Enter" && (i >= 0 || e.target === input)) submit();
      else if (i < 0) return;
      else if (e.key === "ArrowRight" || e.key === "ArrowDown") j = i === last ? 0 : i + 1;
      else if (e.key === "ArrowLeft" || e.key === "ArrowUp") j = i === 0 ? last : i - 1;
      else if (e.key === "Home") j = 0;
      else if (e.key === "End") j = last;
      else if (e.key === " ") j = i;
      else return;
      e.preventDefault();
      if (j >= 0) pick(j);
    }),
  );

  (doc.body || doc.documentElement).appendChild(host);
  if (!typing(doc.activeElement)) radios[0].focus({ preventScroll: true });
}
