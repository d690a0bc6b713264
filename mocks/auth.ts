// The vendor's signature check: `Api-Key`, `Timestamp` (Unix seconds) and `Sign` = md5(key + secret +
// timestamp). Order: the key (-1), then the timestamp's age (-16), then the signature (-1), so a request
// replayed after the window says "expired" rather than "wrong". Comparisons are constant-time, using the
// SDK's own helper so the mock and the SDK cannot disagree about what a valid signature is.
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { verifySign } from '../src/sign.js';

export interface AuthOptions {
  apiKey: string;
  apiSecret: string;
  /** Accepted distance between `Timestamp` and the mock's clock, in seconds (Infinity: no limit). */
  timestampWindowSeconds: number;
  /** The mock's clock in milliseconds. */
  now: () => number;
}

export type AuthVerdict =
  | { ok: true }
  | { ok: false; name: 'authenticationError' | 'timestampExpired'; detail: string };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // Comparing with itself on a length mismatch keeps the time independent of where the texts differ.
  return left.length === right.length ? timingSafeEqual(left, right) : !timingSafeEqual(left, left);
}

export function checkAuth(headers: IncomingHttpHeaders, options: AuthOptions): AuthVerdict {
  const apiKey = header(headers, 'api-key');
  if (!apiKey) return { ok: false, name: 'authenticationError', detail: 'the Api-Key header is missing' };
  if (!sameText(apiKey, options.apiKey)) {
    return { ok: false, name: 'authenticationError', detail: 'the Api-Key is not the one this mock accepts' };
  }

  const timestamp = header(headers, 'timestamp');
  if (!timestamp) return { ok: false, name: 'timestampExpired', detail: 'the Timestamp header is missing' };
  if (!/^\d{1,16}$/.test(timestamp)) {
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

  const sign = header(headers, 'sign');
  if (!sign) return { ok: false, name: 'authenticationError', detail: 'the Sign header is missing' };
  if (!verifySign({ apiKey: options.apiKey, apiSecret: options.apiSecret, timestamp, sign })) {
    return {
      ok: false,
      name: 'authenticationError',
      detail: 'Sign is not md5(apiKey + apiSecret + Timestamp) in hex for this mock\'s credentials',
    };
  }
  return { ok: true };
}
