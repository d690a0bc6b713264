// The little state a frontend needs for the mock to feel real, kept in memory for the server's life:
// task names are unique (-41 on reuse) and only issued keyIds can be updated (-24 otherwise).

/** The vendor's keyId is a Java int; the mock never issues one beyond it. */
const MAX_KEY_ID = 2_147_483_647;

export class MockState {
  readonly #taskNames = new Set<string>();
  readonly #keyIds = new Set<number>();
  #nextKeyId: number;

  /**
   * `documentedKeyIds` count as issued, so the contract's own update examples work as they stand;
   * `knownKeyIds` too (e.g. keyIds a frontend stored before the mock restarted).
   */
  constructor(documentedKeyIds: Iterable<number> = [], knownKeyIds: Iterable<number> = []) {
    let highest = 0;
    for (const keyId of documentedKeyIds) {
      this.#keyIds.add(keyId);
      highest = Math.max(highest, keyId);
    }
    for (const keyId of knownKeyIds) this.#keyIds.add(keyId);
    // Issued keyIds continue after the documented ones, so a new task never looks like an example's.
    this.#nextKeyId = highest + 1;
  }

  /** Reserves a task name; false when it was used before. */
  claimTaskName(taskName: string): boolean {
    if (this.#taskNames.has(taskName)) return false;
    this.#taskNames.add(taskName);
    return true;
  }

  /** A keyId never issued before. */
  issueKeyId(): number {
    while (this.#keyIds.has(this.#nextKeyId)) this.#nextKeyId++;
    if (this.#nextKeyId > MAX_KEY_ID) throw new Error('the mock has issued every keyId a Java int can hold; restart it');
    const keyId = this.#nextKeyId++;
    this.#keyIds.add(keyId);
    return keyId;
  }

  isIssued(keyId: unknown): boolean {
    return typeof keyId === 'number' && this.#keyIds.has(keyId);
  }

  get taskCount(): number {
    return this.#taskNames.size;
  }
}
