// Reading a Content-Type header by hand, in one pass: the mock reads it from clients and the drift checks
// from the vendor, and neither should run a regular expression that could backtrack on what they send.

/** The media type and the `charset` parameter of a Content-Type, read in one pass (no regex on it). */
export function mediaType(value: string): { type: string; charset: string | undefined } {
  const parts = value.split(';');
  let charset: string | undefined;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const equals = part.indexOf('=');
    if (equals === -1 || part.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    const value = part.slice(equals + 1).trim();
    const quotedValue = value.length >= 2 && value.startsWith('"') && value.endsWith('"');
    charset = (quotedValue ? value.slice(1, -1) : value).toLowerCase();
  }
  return { type: parts[0]!.trim().toLowerCase(), charset };
}

const JSON_SUFFIX = '+json';

/** `application/json` or `application/<subtype>+json`. */
export function isJsonType(type: string): boolean {
  if (type === 'application/json') return true;
  if (!type.startsWith('application/') || !type.endsWith(JSON_SUFFIX)) return false;
  const subtype = type.slice('application/'.length, -JSON_SUFFIX.length);
  for (let i = 0; i < subtype.length; i++) {
    const c = subtype.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2b || c === 0x2d;
    if (!ok) return false;
  }
  return subtype.length > 0;
}
