// Scrubs personal data and credentials out of free text the page produces:
// console arguments, error messages and stacks. Page text stays as recorded
// (mask it with rr-mask); this is for strings developers print, which end
// up holding whatever a variable held.
//
// Written here rather than taken from npm: the PII redaction packages there
// pull in lodash or a WASM engine (tens of KB gzipped against a 30 KB
// tracker budget) and none Luhn-checks card numbers, so they scrub order
// numbers and miss nothing more than this table does.

/** One scrubbing rule: what it finds, what it becomes. */
export interface Rule {
  /** The rule's name in README.md's privacy table, which says what it finds. */
  name: string;
  /** Global regex; group 1, when present, is kept in front of the label. */
  pattern: RegExp;
  /** The replacement label, e.g. "[card]". */
  label: string;
  /** When given, a match is replaced only if this accepts it. */
  accept?: (match: string, before: string, after: string) => boolean;
}

/** The Luhn checksum every payment card number passes. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The IBAN check: the rearranged number mod 97 is 1. */
export function ibanValid(s: string): boolean {
  const v = s.replace(/ /g, "");
  if (v.length < 15 || v.length > 34) return false;
  let rem = 0;
  for (const ch of v.slice(4) + v.slice(0, 4)) {
    const n = parseInt(ch, 36);
    rem = n > 9 ? (rem * 100 + n) % 97 : (rem * 10 + n) % 97;
  }
  return rem === 1;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const digitsOnly = (s: string) => s.replace(/\D/g, "");
// A number continues through a decimal point or separator: "3.14159265358"
// and "1,234,567,890.00" are measurements and prices, not identifiers.
const partOfNumber = (before: string, after: string) => /[\d.,]/.test(before) || /^[.,]\d/.test(after);
// Epoch timestamps (seconds or ms, 2001–2039) are everywhere in logs.
const epoch = (d: string) => (d.length === 10 || d.length === 13) && +d.slice(0, 10) >= 1e9 && +d.slice(0, 10) < 22e8;

// Every repetition that can restart at many positions is bounded, so a
// long hostile string costs linear time, not quadratic.

/**
 * The rules, applied in this order to every console argument, error
 * message and stack. README.md's privacy section lists the same table.
 */
export const RULES: Rule[] = [
  {
    name: "auth header",
    pattern: /\b((?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
    label: "[token]",
  },
  {
    name: "jwt",
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    label: "[token]",
  },
  {
    name: "secret field",
    pattern: /\b((?:[\w-]{0,40}(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|credential|signature)[\w-]{0,40}|authorization|session[_-]?id|sessid|sid)["']?\s*[:=]\s*["']?)[^\s"'&,;}[\]]{3,}/gi,
    label: "[token]",
  },
  {
    name: "key prefix",
    pattern: /\b(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,})/g,
    label: "[token]",
  },
  {
    name: "long key",
    pattern: /\b[A-Za-z0-9_-]{32,}/g,
    label: "[token]",
    accept: (m) => /\d.*\d/.test(m) && /[A-Za-z].*[A-Za-z]/.test(m) && !UUID.test(m),
  },
  {
    name: "email",
    pattern: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,}/g,
    label: "[email]",
  },
  {
    name: "iban",
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
    label: "[iban]",
    accept: ibanValid,
  },
  {
    name: "card",
    pattern: /\b\d(?:[ -]?\d){12,18}\b/g,
    label: "[card]",
    accept: (m, before, after) => !partOfNumber(before, after) && luhn(digitsOnly(m)),
  },
  {
    name: "ssn",
    pattern: /\b\d{3}-\d{2}-\d{4}\b/g,
    label: "[ssn]",
    accept: (_m, before, after) => !/[\d-]/.test(before) && !/^-\d/.test(after),
  },
  {
    name: "digits",
    pattern: /\b\d{9,}\b/g,
    label: "[number]",
    accept: (m, before, after) => !partOfNumber(before, after) && before !== "-" && !epoch(m),
  },
];

/** Applies every rule of RULES to s. */
export function scrubText(s: string): string {
  if (!s) return s;
  let out = s;
  for (const r of RULES) {
    r.pattern.lastIndex = 0;
    out = out.replace(r.pattern, (m: string, ...rest: unknown[]) => {
      const offset = rest[rest.length - 2] as number;
      const whole = rest[rest.length - 1] as string;
      const before = offset > 0 ? whole[offset - 1] : "";
      const after = whole.slice(offset + m.length, offset + m.length + 2);
      if (r.accept && !r.accept(m, before, after)) return m;
      const kept = typeof rest[0] === "string" && rest.length > 2 ? (rest[0] as string) : "";
      return kept + r.label;
    });
  }
  return out;
}
