// What the mock received and why it answered as it did, for a test suite to look at: the latest
// `maxRequests` requests to the API's paths, oldest first. Every entry is small whatever was sent: header
// values and the body are summarised (see `summarise`), and `Sign` never appears (it can be replayed for
// about 30 minutes).
import type { JournalEntry } from '../../generated/mock-control.js';

/** Enough for a test suite's run; about a few megabytes of heap at most. */
export const DEFAULT_MAX_REQUESTS = 1000;

const LIMITS = { text: 200, items: 5, keys: 50, depth: 8, headers: 64, headerValue: 256 } as const;

/**
 * Sets a key as data. Plain assignment keeps the object fast (defineProperty on every key made the journal
 * half of the engine's time); only `__proto__`, which assignment would take as the prototype, needs
 * defineProperty to stay a key, as JSON.parse and Node's header parser made it.
 */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * A copy of a parsed body small enough to keep: strings past 200 characters, lists past 5 items, objects
 * past 50 keys and nesting past 8 levels are cut, each cut saying what it left out.
 */
export function summarise(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > LIMITS.text ? `${value.slice(0, LIMITS.text)}… (${value.length} characters)` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= LIMITS.depth) return Array.isArray(value) ? `[… a list of ${value.length}]` : '{… an object}';
  if (Array.isArray(value)) {
    const kept = value.slice(0, LIMITS.items).map((item) => summarise(item, depth + 1));
    if (value.length > LIMITS.items) kept.push(`… ${value.length - LIMITS.items} more items (${value.length} in all)`);
    return kept;
  }
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (++count > LIMITS.keys) continue;
    put(out, key, summarise((value as Record<string, unknown>)[key], depth + 1));
  }
  if (count > LIMITS.keys) out['…'] = `${count - LIMITS.keys} more keys (${count} in all)`;
  return out;
}

/** The request's headers as an entry keeps them: lower-case names, `sign` redacted, long values cut. */
export function journalHeaders(entries: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [rawName, value] of entries) {
    if (++count > LIMITS.headers) break;
    const name = rawName.toLowerCase();
    const kept = name === 'sign' ? '(redacted)' : value.length > LIMITS.headerValue ? `${value.slice(0, LIMITS.headerValue)}… (${value.length} characters)` : value;
    put(out, name, kept);
  }
  return out;
}

/** The latest `max` entries, oldest first: the journal's and the drift report's memory. */
export class Ring<T> {
  #entries: T[] = [];
  #next = 0;
  readonly #max: number;

  constructor(max: number, name = 'maxRequests') {
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`${name} must be a non-negative integer, not ${max}`);
    this.#max = max;
  }

  add(entry: T): void {
    if (this.#max === 0) return;
    if (this.#entries.length < this.#max) this.#entries.push(entry);
    else {
      this.#entries[this.#next] = entry;
      this.#next = (this.#next + 1) % this.#max;
    }
  }

  /** Oldest first. */
  list(): T[] {
    return [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
  }

  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }
}
