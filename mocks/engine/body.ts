// From the bytes a client sent to the JSON value the contract is checked against, with one decision per
// way a body can be unreadable. Every refusal here is the vendor's -22 with a finding at the body (`''`):
// - Content-Type must be `application/json` or `application/*+json`; a `charset` other than UTF-8 is
//   refused rather than decoded, since JSON on the wire is UTF-8 (RFC 8259) and the vendor documents no other.
// - Content-Encoding must be absent or `identity`: a compressed body is refused, not inflated (the vendor
//   documents no compressed requests, and inflating would let a small upload grow past the body limit).
// - Bytes that are not valid UTF-8 are refused, never replaced: replacing would make two different task
//   names the same text (and a -41 that the vendor would not give).
// - One leading UTF-8 byte order mark is skipped, as Java's JSON readers do.
// - A body holding far more JSON objects and arrays than a body the contract accepts can hold is refused
//   before it is parsed: JSON.parse makes each of them a heap object of about 100 bytes from as little as
//   3 bytes of text, so 32 MiB of `{},` would take over a gigabyte. The bound comes from the contract's
//   maxItems (see `containerBound`, and the engine for the room left to unknown fields). Bodies too short
//   to reach it are not even scanned.
// - A body naming more than MAX_KEY_NAMES different object keys is refused before it is parsed, in the same
//   pass: every new key name costs V8 an interned string and new hidden classes, so 63 MiB of keys that
//   all differ took over a gigabyte and 10 s of parsing that blocks every other request. The contract
//   names about 60 fields and the vendor ten callInformation keys; a body needs a few hundred at most.
import type { ShapeNode } from '../../generated/request-shape.js';
import { isJsonType, isUtf8, mediaType } from '../../src/media-type.js';
import type { SizeBound } from '../../generated/request-plan.js';

export interface BodyProblem {
  keyword: 'contentType' | 'contentEncoding' | 'charset' | 'encoding' | 'json' | 'maxBodySize' | 'maxContainers' | 'maxKeyNames';
  message: string;
}

/** How many different object key names a body may use: a hundred times what any body the contract describes needs. */
export const MAX_KEY_NAMES = 10_000;

/** Shown in a finding; a header a client controls is cut so the answer stays small. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/** What the headers alone say is wrong with the body, before a byte of it is read. */
export function checkBodyHeaders(contentType: string | undefined, contentEncoding: string | undefined): BodyProblem | undefined {
  if (!contentType) return { keyword: 'contentType', message: 'Content-Type must be application/json (none was sent)' };
  const { type, charset } = mediaType(contentType);
  if (!isJsonType(type)) return { keyword: 'contentType', message: `Content-Type must be application/json, not ${quoted(contentType)}` };
  if (charset !== undefined && !isUtf8(charset)) {
    return { keyword: 'charset', message: `the body must be UTF-8; charset=${quoted(charset)} is not accepted` };
  }
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return { keyword: 'contentEncoding', message: `Content-Encoding ${quoted(contentEncoding!)} is not accepted: send the body uncompressed` };
  }
  return undefined;
}

// `fatal`: invalid bytes throw instead of becoming U+FFFD. The BOM is skipped (ignoreBOM: false).
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The most JSON objects and arrays a body the contract accepts can hold: the body itself, every object
 * and array of its known fields, each list's items times its `maxItems` (Infinity when a list has none).
 */
export function containerBound(shape: ShapeNode, bounds: SizeBound | undefined): number {
  let count = shape.properties || shape.items || shape.additional ? 1 : 0;
  for (const [name, child] of Object.entries(shape.properties ?? {})) count += containerBound(child, bounds?.properties?.[name]);
  if (shape.items) count += (bounds?.maxItems ?? Number.POSITIVE_INFINITY) * containerBound(shape.items, bounds?.items);
  return count;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * One pass over the text, outside strings counting `{` and `[`, and telling the key names apart by a hash
 * of their bytes as written (two spellings of one name count twice, so the count never falls short of
 * what JSON.parse will see). Stops at the first bound crossed; bodies too short to cross either are
 * not scanned at all.
 */
function overBounds(bytes: Uint8Array, maxContainers: number): BodyProblem['keyword'] | undefined {
  const scanContainers = bytes.length > 2 * maxContainers;
  // A key takes at least 4 bytes (`"":`, and a separator).
  const scanKeys = bytes.length > 4 * MAX_KEY_NAMES;
  if (!scanContainers && !scanKeys) return undefined;
  let containers = 0;
  const keyNames = new Set<number>();
  let inString = false;
  let hash = 0;
  let stringEnd = -1; // where the last string closed, to tell a key (followed by `:`) from a value
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === BACKSLASH) {
        hash = Math.imul(hash ^ byte, 0x01000193);
        i++; // the escaped character cannot end the string
        hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193);
      } else if (byte === QUOTE) {
        inString = false;
        stringEnd = i;
      } else hash = Math.imul(hash ^ byte, 0x01000193);
    } else if (byte === QUOTE) {
      inString = true;
      hash = 0x811c9dc5 | 0;
    } else if (byte === COLON) {
      // A colon right after a string (JSON allows whitespace between) makes that string a key.
      if (scanKeys && stringEnd !== -1 && keyNames.add(hash).size > MAX_KEY_NAMES) return 'maxKeyNames';
      stringEnd = -1;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (scanContainers && ++containers > maxContainers) return 'maxContainers';
      stringEnd = -1;
    } else if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) stringEnd = -1;
  }
  return undefined;
}

export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: BodyProblem };

/** The JSON value of a body already known to be within the size limit. */
export function parseBody(bytes: Uint8Array, maxContainers = Number.POSITIVE_INFINITY): ParsedBody {
  const over = overBounds(bytes, maxContainers);
  if (over === 'maxContainers') {
    return { ok: false, problem: { keyword: over, message: `the body holds more than ${maxContainers} JSON objects and arrays, far more than this operation accepts` } };
  }
  if (over === 'maxKeyNames') {
    return { ok: false, problem: { keyword: over, message: `the body names more than ${MAX_KEY_NAMES} different object keys, far more than any request needs` } };
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, problem: { keyword: 'encoding', message: 'the body is not valid UTF-8' } };
  }
  if (text.trim() === '') return { ok: false, problem: { keyword: 'json', message: 'the body is empty; send a JSON object' } };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // V8's messages quote at most a few dozen characters of the text, so they stay small.
    return { ok: false, problem: { keyword: 'json', message: `the body is not valid JSON: ${(error as Error).message}` } };
  }
}
