// The engine's reading of a body's bytes, before JSON.parse: the scan that refuses a body naming more
// different object keys than any request needs (each new name costs V8 an interned string and hidden
// classes), and what it must not count.
import { describe, expect, it } from 'vitest';
import { MAX_KEY_NAMES, parseBody } from '../../mocks/engine/body.js';

const bytes = (text: string) => new TextEncoder().encode(text);
/** An object with `count` different keys `k0`…. */
const keys = (count: number) => `{${Array.from({ length: count }, (_, i) => `"k${i}":0`).join(',')}}`;

describe('different key names', () => {
  it(`${MAX_KEY_NAMES} are parsed; one more is refused before parsing, naming the bound`, () => {
    expect(parseBody(bytes(keys(MAX_KEY_NAMES))).ok).toBe(true);
    const over = parseBody(bytes(keys(MAX_KEY_NAMES + 1)));
    expect(over).toEqual({ ok: false, problem: { keyword: 'maxKeyNames', message: `the body names more than ${MAX_KEY_NAMES} different object keys, far more than any request needs` } });
  });

  it('the same names over and over count once: 200,000 numbers of three keys each are parsed', () => {
    const numbers = Array.from({ length: 200_000 }, (_, i) => `{"calleeNumber":"4632${i}","callInformation":{"name":"N"}}`);
    expect(parseBody(bytes(`{"appId":"a","numberInfoList":[${numbers.join(',')}]}`)).ok).toBe(true);
  });

  it('strings that are values are not keys, colons inside strings included', () => {
    const values = Array.from({ length: MAX_KEY_NAMES * 2 }, (_, i) => `"v${i}: not a key"`);
    expect(parseBody(bytes(`{"list":[${values.join(',')}]}`)).ok).toBe(true);
  });

  it('a key followed by whitespace before its colon is a key; escapes inside a key do not end it', () => {
    const spaced = `{${Array.from({ length: MAX_KEY_NAMES + 1 }, (_, i) => `"k\\"${i}" \\n:0`.replace('\\n', '\n')).join(',')}}`;
    expect(parseBody(bytes(spaced))).toMatchObject({ ok: false, problem: { keyword: 'maxKeyNames' } });
  });

  it('two spellings of one name count twice, so the count never falls short of what JSON.parse sees', () => {
    const spellings = Array.from({ length: MAX_KEY_NAMES }, (_, i) => `{"a${i}":0,"\\u0061${i}":0}`);
    expect(parseBody(bytes(`[${spellings.join(',')}]`))).toMatchObject({ ok: false, problem: { keyword: 'maxKeyNames' } });
  });

  it('a short body is not scanned at all (it cannot hold that many names)', () => {
    expect(parseBody(bytes('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });
});
