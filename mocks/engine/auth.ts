// The vendor's signature check: `Api-Key`, `Timestamp` (Unix seconds) and `Sign` = md5(key + secret +
// timestamp). Order: the key (-1), then the timestamp's age (-16), then the signature (-1), so a request
// replayed after the window says "expired" rather than "wrong". The hash comes from the adapter (Node's
// crypto, or a library in a browser, which has no MD5), so this module runs anywhere.
import { sameText, signInput, signMatches } from '../../src/signature.js';
import type { HeaderReader } from './request.js';

/** Lowercase hex MD5 of a UTF-8 text. */
export type Md5 = (text: string) => string;

export interface AuthOptions {
  apiKey: string;
  apiSecret: string;
  /** Accepted distance between `Timestamp` and the mock's clock, in seconds (Infinity: no limit). */
  timestampWindowSeconds: number;
  /** The mock's clock in milliseconds. */
  now: () => number;
  md5: Md5;
}

export type AuthVerdict =
  | { ok: true }
  | { ok: false; name: 'authenticationError' | 'timestampExpired'; detail: string };

/** Digits only, at most 16 of them: anything longer is not a Unix time in seconds or milliseconds. */
const TIMESTAMP = /^[0-9]{1,16}$/;

export function checkAuth(header: HeaderReader, options: AuthOptions): AuthVerdict {
  const apiKey = header('api-key');
  if (!apiKey) return { ok: false, name: 'authenticationError', detail: 'the Api-Key header is missing' };
  if (!sameText(apiKey, options.apiKey)) {
    return { ok: false, name: 'authenticationError', detail: 'the Api-Key is not the one this mock accepts' };
  }

  const timestamp = header('timestamp');
  if (!timestamp) return { ok: false, name: 'timestampExpired', detail: 'the Timestamp header is missing' };
  if (!TIMESTAMP.test(timestamp)) {
    return { ok: false, name: 'timestampExpired', detail: 'Timestamp must be Unix time in seconds, as decimal digits' };
  }
  const nowSeconds = Math.floor(options.now() / 1000);
  const skew = Number(timestamp) - nowSeconds;
  if (Math.abs(skew) > options.timestampWindowSeconds) {
    const hint = timestamp.length >= 13 ? ' (it looks like milliseconds; send seconds)' : '';
    return {
      ok: false,
      name: 'timestampExpired',
      detail: `Timestamp is ${Math.abs(skew)} s ${skew < 0 ? 'behind' : 'ahead of'} the mock's clock; the window is ±${options.timestampWindowSeconds} s${hint}`,
    };
  }

  const sign = header('sign');
  if (!sign) return { ok: false, name: 'authenticationError', detail: 'the Sign header is missing' };
  if (!signMatches(options.md5(signInput(options.apiKey, options.apiSecret, timestamp)), sign)) {
    return {
      ok: false,
      name: 'authenticationError',
      detail: "Sign is not md5(apiKey + apiSecret + Timestamp) in hex for this mock's credentials",
    };
  }
  return { ok: true };
}
