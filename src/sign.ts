// The vendor's request signature: `Sign` = lowercase hex MD5 of apiKey + apiSecret + timestamp (seconds).
// No body, path or HMAC is involved, so a leaked `Sign` can be replayed until its timestamp expires
// (about 30 minutes); treat it like a short-lived credential.
import { hash } from 'node:crypto';
import { signInput, signMatches } from './signature.js';

/** Lowercase hex MD5 of a text as UTF-8 (one-shot `hash`: about a third of createHash's cost per call). */
export const md5 = (text: string): string => hash('md5', text, 'hex');

/** The `Sign` header for one request: lowercase hex MD5 of `apiKey + apiSecret + timestamp`. */
export function computeSign(apiKey: string, apiSecret: string, timestamp: number | string): string {
  return md5(signInput(apiKey, apiSecret, timestamp));
}

/** A type, not an interface, so it can be passed as `HeadersInit` (`fetch(url, { headers: signRequest(…) })`). */
export type SignedHeaders = {
  'Api-Key': string;
  Timestamp: string;
  Sign: string;
};

/** The three signing headers for a request made at `timestamp` (Unix seconds). */
export function signRequest(apiKey: string, apiSecret: string, timestamp: number): SignedHeaders {
  const seconds = String(timestamp);
  return { 'Api-Key': apiKey, Timestamp: seconds, Sign: computeSign(apiKey, apiSecret, seconds) };
}

export interface VerifySignInput {
  apiKey: string;
  apiSecret: string;
  timestamp: number | string;
  /** The `Sign` header as received; compared case-insensitively, as the vendor does. */
  sign: string;
}

/**
 * Checks a received `Sign` against the expected one in constant time (for servers that receive signed
 * requests, e.g. a mock). It does not check the timestamp's age; do that separately.
 */
export function verifySign({ apiKey, apiSecret, timestamp, sign }: VerifySignInput): boolean {
  return signMatches(computeSign(apiKey, apiSecret, timestamp), sign);
}

/** Unix seconds for `nowMs`, shifted by a whole-second clock offset (for servers whose clock differs). */
export function unixSeconds(nowMs: number, clockOffsetSeconds = 0): number {
  return Math.floor(nowMs / 1000) + Math.trunc(clockOffsetSeconds);
}
