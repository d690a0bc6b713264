// What JSON.stringify would not send as it stands. NaN and ±Infinity become `null` without a word, so a
// body could leave the process saying something other than what the caller wrote and nobody checked; a
// BigInt or a cycle makes it throw. The SDK looks for these before anything is sent (when the serialised
// text holds `null` or serialising threw; see serialise() in client.ts), whether or not the contract is
// checked too: `validate: false` turns off the contract, not JSON. Unknown fields, which the contract
// lets through unexamined, are looked at as well.
import type { ValidationFinding } from './validation.js';

export interface Unsendable {
  /** The first `max` problems, each with its JSON Pointer (keyword `json`). */
  findings: ValidationFinding[];
  total: number;
}

function escape(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A container on the way down, with the link to its parent that makes its path when one is needed. */
interface Frame {
  value: object;
  key: string | number;
  parent: Frame | undefined;
}

function pathOf(frame: Frame | undefined, key?: string | number): string {
  const segments: (string | number)[] = key === undefined || frame === undefined ? [] : [key];
  for (let f = frame; f?.parent !== undefined; f = f.parent) segments.push(f.key);
  return segments.reverse().map((s) => `/${escape(s)}`).join('');
}

/** Past this depth the fast walk hands over to the iterative one. */
const FAST_DEPTH = 256;
const TOO_DEEP = Symbol('too deep');

/**
 * Every value of `body` JSON cannot carry as it is: non-finite numbers (boxed ones too), BigInts, cycles.
 * Follows JSON.stringify: own enumerable keys, `toJSON` where an object has one, each container visited
 * once per path. Recursive while the body is shallow (as every real body is: about as fast as a bare
 * walk), iterative past FAST_DEPTH, so no depth of nesting can overflow the stack.
 */
export function unsendable(body: unknown, max: number): Unsendable {
  const result: Unsendable = { findings: [], total: 0 };
  const add = (path: string, message: string) => {
    result.total++;
    if (result.findings.length < max) result.findings.push({ path, message, keyword: 'json' });
  };
  try {
    const root = leaf(body, '', add, () => '');
    if (typeof root === 'object' && root !== null) fastWalk(root, [], [], add);
    return result;
  } catch (error) {
    if (error !== TOO_DEEP) throw error;
  }
  result.findings = [];
  result.total = 0;
  deepWalk(body, add);
  return result;
}

type Add = (path: string, message: string) => void;

const notFinite = (value: number) => `must be a finite number: JSON has no ${value} (JSON.stringify would send null)`;
const BIGINT = 'is a BigInt, which JSON cannot carry (send it as a number or a string)';
const CYCLE = 'refers back to an object that contains it; JSON cannot carry a cycle';

/** JSON.stringify's view of a value (toJSON, boxed numbers), with a finding if JSON cannot carry it. */
function leaf(raw: unknown, key: string | number, add: Add, path: () => string): unknown {
  let value = raw;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(String(key));
  }
  if (value instanceof Number) value = Number(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) add(path(), notFinite(value));
  } else if (typeof value === 'bigint') {
    add(path(), BIGINT);
  }
  return value;
}

const join = (segments: readonly (string | number)[]) => segments.map((s) => `/${escape(s)}`).join('');

/** Objects without toJSON that box no number go straight in. */
function isPlain(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function' && !(value instanceof Number);
}

function child(item: unknown, key: string | number, segments: (string | number)[], ancestors: object[], add: Add): void {
  if (typeof item === 'number') {
    if (!Number.isFinite(item)) add(join([...segments, key]), notFinite(item));
    return;
  }
  if (typeof item === 'bigint') return add(join([...segments, key]), BIGINT);
  if (typeof item !== 'object' || item === null) return;
  segments.push(key);
  const value = isPlain(item) ? item : leaf(item, key, add, () => join(segments));
  if (typeof value === 'object' && value !== null) fastWalk(value, segments, ancestors, add);
  segments.pop();
}

function fastWalk(value: object, segments: (string | number)[], ancestors: object[], add: Add): void {
  if (ancestors.includes(value)) return add(join(segments), CYCLE);
  if (ancestors.length >= FAST_DEPTH) throw TOO_DEEP;
  ancestors.push(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'string') child(item, i, segments, ancestors, add);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const item = record[key];
      if (typeof item !== 'string') child(item, key, segments, ancestors, add);
    }
  }
  ancestors.pop();
}

/** The same walk with an explicit stack, for bodies nested deeper than FAST_DEPTH. */
function deepWalk(body: unknown, add: Add): void {
  const inspect = (raw: unknown, key: string | number, parent: Frame | undefined): object | undefined => {
    const value = leaf(raw, key, add, () => pathOf(parent, key));
    return typeof value === 'object' && value !== null ? value : undefined;
  };
  const ancestors = new Set<object>();
  const root = inspect(body, '', undefined);
  if (!root) return;
  // An entry is a container to enter, or `exit` to leave one (so `ancestors` holds exactly the path).
  const stack: ({ enter: Frame } | { exit: object })[] = [{ enter: { value: root, key: '', parent: undefined } }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if ('exit' in entry) {
      ancestors.delete(entry.exit);
      continue;
    }
    const frame = entry.enter;
    if (ancestors.has(frame.value)) {
      add(pathOf(frame), CYCLE);
      continue;
    }
    ancestors.add(frame.value);
    stack.push({ exit: frame.value });
    const children: Frame[] = [];
    if (Array.isArray(frame.value)) {
      const array = frame.value as unknown[];
      for (let i = 0; i < array.length; i++) {
        const child = inspect(array[i], i, frame);
        if (child) children.push({ value: child, key: i, parent: frame });
      }
    } else {
      const record = frame.value as Record<string, unknown>;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const child = inspect(record[key], key, frame);
        if (child) children.push({ value: child, key, parent: frame });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push({ enter: children[i]! });
  }
}
