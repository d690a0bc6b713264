// Prism's way of asking a mock for one documented answer, kept so suites written for Prism work here:
// a `Prefer` header (`example=taskNameExists`, `code=200`) or, without one, the `__example` / `__code` /
// `__dynamic` query parameters a browser can add. Parsed by hand in one pass: a client controls this
// text, so no regular expression that could backtrack ever sees it.

export interface Preferences {
  example?: string;
  code?: string;
  dynamic?: string;
}

const KEYS = ['example', 'code', 'dynamic'] as const;
type Key = (typeof KEYS)[number];
const isKey = (key: string): key is Key => (KEYS as readonly string[]).includes(key);

function isSpace(char: number): boolean {
  return char === 0x20 || char === 0x09;
}

/** The value of one `key=value` token: spaces around it and one pair of surrounding quotes removed. */
function unquote(text: string, from: number, to: number): string {
  while (from < to && isSpace(text.charCodeAt(from))) from++;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  if (to - from >= 2 && text.charCodeAt(from) === 0x22 && text.charCodeAt(to - 1) === 0x22) {
    from++;
    to--;
  }
  return text.slice(from, to);
}

/** Reads the preferences from a `Prefer` header (tokens separated by `,` or `;`) or the query. */
export function readPreferences(header: string | undefined, query: URLSearchParams): Preferences | undefined {
  const preferences: Preferences = {};
  let found = false;
  if (header) {
    let start = 0;
    let equals = -1; // the first `=` of the current token
    for (let i = 0; i <= header.length; i++) {
      const char = i < header.length ? header.charCodeAt(i) : 0x2c;
      if (char === 0x3d && equals === -1) equals = i;
      if (char !== 0x2c && char !== 0x3b) continue;
      if (equals !== -1) {
        const key = unquote(header, start, equals).toLowerCase();
        if (isKey(key)) {
          preferences[key] = unquote(header, equals + 1, i);
          found = true;
        }
      }
      start = i + 1;
      equals = -1;
    }
  } else {
    for (const key of KEYS) {
      const value = query.get(`__${key}`);
      if (value !== null) {
        preferences[key] = value;
        found = true;
      }
    }
  }
  return found ? preferences : undefined;
}

export type Negotiated =
  | { ok: true; name: string }
  | { ok: false; message: string };

/**
 * Which named answer the preferences select among `names` (the contract's examples of the operation's
 * HTTP 200 response, first one first). The contract describes no other status, and this mock answers
 * with documented examples only, so `code` may only be 200 and `dynamic` only false.
 */
export function negotiate(preferences: Preferences, names: readonly string[]): Negotiated {
  const { example, code, dynamic } = preferences;
  if (dynamic !== undefined && dynamic !== 'false') {
    return { ok: false, message: 'dynamic answers are not offered: this mock answers with the contract\'s named examples (ask for one with example=<name>)' };
  }
  if (code !== undefined && code !== '200') {
    return { ok: false, message: `the contract describes HTTP 200 answers only, not ${JSON.stringify(code.slice(0, 40))}; the vendor sends every refusal with 200 and a negative code` };
  }
  if (example === undefined) return { ok: true, name: names[0]! };
  if (names.includes(example)) return { ok: true, name: example };
  return { ok: false, message: `no example named ${JSON.stringify(example.slice(0, 80))} for this operation` };
}
