// The little state a frontend needs for the mock to feel real, kept in memory for the mock's life:
// task names are unique (-41 on reuse) and only known keyIds can be updated (-24 otherwise).
// Both are bounded, so a mock left running under load keeps a flat memory: issued keyIds are one
// range, and only the most recent `maxTaskNames` names are remembered.

/** The vendor's keyId is a Java int; the mock never issues one beyond it. */
const MAX_KEY_ID = 2_147_483_647;

/** About 10 MB of heap; far more tasks than a frontend session creates. */
export const DEFAULT_MAX_TASK_NAMES = 100_000;

export interface MockStateOptions {
  /** keyIds known from the start besides the issued ones (the contract's examples, ones a frontend kept). */
  knownKeyIds?: Iterable<number>;
  /** The first keyId to issue (default 1); issued keyIds count up from it, skipping the known ones. */
  firstKeyId?: number;
  /** How many of the latest task names are remembered for -41 (default 100,000). */
  maxTaskNames?: number;
}

/** What the state holds, as the control API shows it. */
export interface StateSnapshot {
  keyIds: number[];
  taskNames: string[];
}

export class MockState {
  readonly #taskNames = new Set<string>();
  /**
   * The same names in the order they came, as a ring: the slot to fill next holds the oldest. (Taking the
   * oldest from the Set's own order instead scans the holes its deletions leave: quadratic under load.)
   */
  #arrival: string[] = [];
  #oldest = 0;
  readonly #maxTaskNames: number;
  /** keyIds given rather than issued. */
  #givenKeyIds = new Set<number>();
  /** keyIds this mock issued: every one in [#firstIssued, #nextKeyId) not among the given ones. */
  #firstIssued: number;
  #nextKeyId: number;
  readonly #firstKeyId: number;

  constructor({ knownKeyIds = [], firstKeyId = 1, maxTaskNames = DEFAULT_MAX_TASK_NAMES }: MockStateOptions = {}) {
    if (!Number.isSafeInteger(maxTaskNames) || maxTaskNames < 1) throw new RangeError(`maxTaskNames must be a positive integer, not ${maxTaskNames}`);
    if (!Number.isInteger(firstKeyId) || firstKeyId < 1 || firstKeyId > MAX_KEY_ID) {
      throw new RangeError(`firstKeyId must be a keyId (an integer from 1 to ${MAX_KEY_ID}), not ${firstKeyId}`);
    }
    this.#maxTaskNames = maxTaskNames;
    this.#firstKeyId = firstKeyId;
    this.#firstIssued = this.#nextKeyId = 1;
    this.replace({ keyIds: [...knownKeyIds], taskNames: [] });
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
    if (this.#nextKeyId > MAX_KEY_ID) throw new Error('the mock has issued every keyId a Java int can hold; reset it');
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

  /** Every known keyId, ascending, and the remembered task names, oldest first. */
  snapshot(): StateSnapshot {
    const keyIds = new Set(this.#givenKeyIds);
    for (let keyId = this.#firstIssued; keyId < this.#nextKeyId; keyId++) keyIds.add(keyId);
    const taskNames = [...this.#arrival.slice(this.#oldest), ...this.#arrival.slice(0, this.#oldest)];
    return { keyIds: [...keyIds].sort((a, b) => a - b), taskNames };
  }

  /**
   * Knows exactly these keyIds and task names from now on; new keyIds are issued from the first keyId
   * again, skipping the ones given here.
   */
  replace({ keyIds, taskNames }: StateSnapshot): void {
    if (taskNames.length > this.#maxTaskNames) throw new RangeError(`at most ${this.#maxTaskNames} task names are remembered, not ${taskNames.length}`);
    this.#givenKeyIds = new Set(keyIds);
    this.#firstIssued = this.#nextKeyId = this.#firstKeyId;
    this.#taskNames.clear();
    this.#arrival = [];
    this.#oldest = 0;
    for (const name of taskNames) this.claimTaskName(name);
  }
}
