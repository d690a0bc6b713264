// The little state a frontend needs for the mock to feel real, kept in memory for the server's life:
// task names are unique (-41 on reuse) and only issued keyIds can be updated (-24 otherwise).
// Both are bounded, so a mock left running under load keeps a flat memory: issued keyIds are one
// range, and only the most recent `maxTaskNames` names are remembered.

/** The vendor's keyId is a Java int; the mock never issues one beyond it. */
const MAX_KEY_ID = 2_147_483_647;

/** About 10 MB of heap; far more tasks than a frontend session creates. */
export const DEFAULT_MAX_TASK_NAMES = 100_000;

export class MockState {
  readonly #taskNames = new Set<string>();
  /**
   * The same names in the order they came, as a ring: the slot to fill next holds the oldest. (Taking the
   * oldest from the Set's own order instead scans the holes its deletions leave: quadratic under load.)
   */
  readonly #arrival: string[] = [];
  #oldest = 0;
  readonly #maxTaskNames: number;
  /** keyIds from the contract's examples and the caller, fixed at start. */
  readonly #givenKeyIds = new Set<number>();
  /** keyIds this mock issued: every one in [#firstIssued, #nextKeyId) not among the given ones. */
  readonly #firstIssued: number;
  #nextKeyId: number;

  /**
   * `documentedKeyIds` count as issued, so the contract's own update examples work as they stand;
   * `knownKeyIds` too (e.g. keyIds a frontend stored before the mock restarted).
   */
  constructor(documentedKeyIds: Iterable<number> = [], knownKeyIds: Iterable<number> = [], maxTaskNames = DEFAULT_MAX_TASK_NAMES) {
    if (!Number.isSafeInteger(maxTaskNames) || maxTaskNames < 1) throw new RangeError(`maxTaskNames must be a positive integer, not ${maxTaskNames}`);
    this.#maxTaskNames = maxTaskNames;
    let highest = 0;
    for (const keyId of documentedKeyIds) {
      this.#givenKeyIds.add(keyId);
      highest = Math.max(highest, keyId);
    }
    for (const keyId of knownKeyIds) this.#givenKeyIds.add(keyId);
    // Issued keyIds continue after the documented ones, so a new task never looks like an example's.
    this.#firstIssued = this.#nextKeyId = highest + 1;
  }

  /**
   * Reserves a task name; false when it is among the last `maxTaskNames` reserved. Past that many, the
   * oldest name is forgotten and may be used again.
   */
  claimTaskName(taskName: string): boolean {
    if (this.#taskNames.has(taskName)) return false;
    if (this.#arrival.length < this.#maxTaskNames) {
      this.#arrival.push(taskName);
    } else {
      this.#taskNames.delete(this.#arrival[this.#oldest]!);
      this.#arrival[this.#oldest] = taskName;
      this.#oldest = (this.#oldest + 1) % this.#maxTaskNames;
    }
    this.#taskNames.add(taskName);
    return true;
  }

  /** A keyId never issued before. */
  issueKeyId(): number {
    while (this.#givenKeyIds.has(this.#nextKeyId)) this.#nextKeyId++;
    if (this.#nextKeyId > MAX_KEY_ID) throw new Error('the mock has issued every keyId a Java int can hold; restart it');
    return this.#nextKeyId++;
  }

  isIssued(keyId: unknown): boolean {
    if (typeof keyId !== 'number') return false;
    return this.#givenKeyIds.has(keyId) || (Number.isInteger(keyId) && keyId >= this.#firstIssued && keyId < this.#nextKeyId);
  }

  /** Task names remembered now (at most `maxTaskNames`). */
  get taskCount(): number {
    return this.#taskNames.size;
  }
}
