import { describe, expect, it } from 'vitest';
import { computeSign, signRequest, unixSeconds, verifySign } from '../../src/sign.js';
import { API_KEY, API_SECRET, VECTOR, VECTORS as vectors } from '../support/credentials.js';

// The vendor's two documented signing vectors (the first is the Sign/Api-Key/Timestamp of both API pages' example requests).
const { timestamp, sign } = VECTOR;

describe('computeSign', () => {
  it.each(vectors)('matches the vendor vector for $apiKey', ({ apiKey, apiSecret, timestamp, sign }) => {
    expect(computeSign(apiKey, apiSecret, timestamp)).toBe(sign);
    expect(computeSign(apiKey, apiSecret, String(timestamp))).toBe(sign);
  });

  it('changes with every input', () => {
    const base = computeSign(API_KEY, API_SECRET, timestamp);
    expect(computeSign(`${API_KEY}x`, API_SECRET, timestamp)).not.toBe(base);
    expect(computeSign(API_KEY, `${API_SECRET}x`, timestamp)).not.toBe(base);
    expect(computeSign(API_KEY, API_SECRET, timestamp + 1)).not.toBe(base);
  });
});

describe('signRequest', () => {
  it('gives the three headers of the seed pages', () => {
    expect(signRequest(API_KEY, API_SECRET, timestamp)).toEqual({
      'Api-Key': API_KEY,
      Timestamp: String(timestamp),
      Sign: sign,
    });
  });
});

describe('verifySign', () => {
  const good = { apiKey: API_KEY, apiSecret: API_SECRET, timestamp: String(timestamp) };
  it('accepts the right sign, in either case as the vendor does', () => {
    expect(verifySign({ ...good, sign })).toBe(true);
    expect(verifySign({ ...good, sign: sign.toUpperCase() })).toBe(true);
  });
  it('refuses a wrong, shorter, longer or empty sign', () => {
    expect(verifySign({ ...good, sign: `${sign.slice(0, -1)}d` })).toBe(false);
    expect(verifySign({ ...good, sign: sign.slice(0, -1) })).toBe(false);
    expect(verifySign({ ...good, sign: `${sign}0` })).toBe(false);
    expect(verifySign({ ...good, sign: '' })).toBe(false);
    expect(verifySign({ ...good, timestamp: String(timestamp + 1), sign })).toBe(false);
  });
});

describe('unixSeconds', () => {
  it('floors milliseconds to seconds and adds the offset', () => {
    expect(unixSeconds(1630468800999)).toBe(1630468800);
    expect(unixSeconds(1630468800000, -90)).toBe(1630468710);
    expect(unixSeconds(1630468800000, 2.9)).toBe(1630468802);
  });
});
