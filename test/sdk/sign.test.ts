import { describe, expect, it } from 'vitest';
import { computeSign, signRequest, unixSeconds, verifySign } from '../../src/sign.js';

// The vendor's two documented signing vectors (the first is the Sign/Api-Key/Timestamp of both API pages' example requests).
const vectors = [
  { apiKey: 'bDqJFiq9', apiSecret: '7bz1lzh9', timestamp: 1630468800, sign: '05d7a50893e22a5c4bb3216ae3396c7c' },
  { apiKey: 'api-key', apiSecret: 'api-secret', timestamp: 1630468800, sign: '916cca171614e17d6ccea6b02e53d807' },
];

describe('computeSign', () => {
  it.each(vectors)('matches the vendor vector for $apiKey', ({ apiKey, apiSecret, timestamp, sign }) => {
    expect(computeSign(apiKey, apiSecret, timestamp)).toBe(sign);
    expect(computeSign(apiKey, apiSecret, String(timestamp))).toBe(sign);
  });

  it('changes with every input', () => {
    const base = computeSign('bDqJFiq9', '7bz1lzh9', 1630468800);
    expect(computeSign('bDqJFiq8', '7bz1lzh9', 1630468800)).not.toBe(base);
    expect(computeSign('bDqJFiq9', '7bz1lzh8', 1630468800)).not.toBe(base);
    expect(computeSign('bDqJFiq9', '7bz1lzh9', 1630468801)).not.toBe(base);
  });
});

describe('signRequest', () => {
  it('gives the three headers of the seed pages', () => {
    expect(signRequest('bDqJFiq9', '7bz1lzh9', 1630468800)).toEqual({
      'Api-Key': 'bDqJFiq9',
      Timestamp: '1630468800',
      Sign: '05d7a50893e22a5c4bb3216ae3396c7c',
    });
  });
});

describe('verifySign', () => {
  const good = { apiKey: 'bDqJFiq9', apiSecret: '7bz1lzh9', timestamp: '1630468800' };
  it('accepts the right sign, in either case as the vendor does', () => {
    expect(verifySign({ ...good, sign: '05d7a50893e22a5c4bb3216ae3396c7c' })).toBe(true);
    expect(verifySign({ ...good, sign: '05D7A50893E22A5C4BB3216AE3396C7C' })).toBe(true);
  });
  it('refuses a wrong, shorter, longer or empty sign', () => {
    expect(verifySign({ ...good, sign: '05d7a50893e22a5c4bb3216ae3396c7d' })).toBe(false);
    expect(verifySign({ ...good, sign: '05d7a50893e22a5c4bb3216ae3396c7' })).toBe(false);
    expect(verifySign({ ...good, sign: '05d7a50893e22a5c4bb3216ae3396c7c0' })).toBe(false);
    expect(verifySign({ ...good, sign: '' })).toBe(false);
    expect(verifySign({ ...good, timestamp: '1630468801', sign: '05d7a50893e22a5c4bb3216ae3396c7c' })).toBe(false);
  });
});

describe('unixSeconds', () => {
  it('floors milliseconds to seconds and adds the offset', () => {
    expect(unixSeconds(1630468800999)).toBe(1630468800);
    expect(unixSeconds(1630468800000, -90)).toBe(1630468710);
    expect(unixSeconds(1630468800000, 2.9)).toBe(1630468802);
  });
});
