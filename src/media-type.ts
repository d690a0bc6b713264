// Reading a Content-Type header by hand, in one pass: the mock reads it from clients and the drift checks
// from the vendor, and neither should run a regular expression that could backtrack on what they send.
// Also the encoding rules of JSON on the wire (RFC 8259, section 8.1), which the SDK and the drift checks share.

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

/** Whether a charset as mediaType reads it (lower case) names UTF-8, the only encoding JSON has on the wire. */
export function isUtf8(charset: string): boolean {
  return charset === 'utf-8' || charset === 'utf8';
}

/**
 * The charset a Content-Type declares when it is not UTF-8 (`undefined` when it declares none or UTF-8):
 * such an answer cannot be read as the JSON it claims to be, since JSON is UTF-8 on the wire.
 *
 * fetch joins a repeated Content-Type with commas; read as the Fetch standard reads it, the last media type
 * wins and keeps the charset an earlier one of the same type declared (`application/json; charset=utf-8,
 * application/json` is UTF-8).
 */
export function foreignCharset(contentType: string | null): string | undefined {
  // Most answers carry no parameter at all: no split for them.
  if (contentType === null || !contentType.includes(';')) return undefined;
  let essence: string | undefined;
  let charset: string | undefined;
  for (const part of contentType.split(',')) {
    const read = mediaType(part);
    if (!read.type.includes('/') || read.type === '*/*') continue;
    if (read.type !== essence) [essence, charset] = [read.type, undefined];
    if (read.charset !== undefined) charset = read.charset;
  }
  return charset === undefined || isUtf8(charset) ? undefined : charset;
}

/** A UTF-8 byte order mark as decoded text. JSON senders must not add one; readers may skip it (RFC 8259). */
export const BOM = '\uFEFF';

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
