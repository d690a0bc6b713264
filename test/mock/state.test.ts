// The mock's memory of tasks, bounded so a mock left running under load stays flat.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TASK_NAMES, MockState } from '../../mocks/engine/state.js';

describe('MockState', () => {
  it('refuses a remembered name, forgets the oldest past the cap, and never holds more than the cap', () => {
    const state = new MockState({ maxTaskNames: 3 });
    for (const name of ['a', 'b', 'c']) expect(state.claimTaskName(name)).toBe(true);
    expect(state.claimTaskName('a')).toBe(false);
    expect(state.claimTaskName('d')).toBe(true); // forgets a
    expect(state.claimTaskName('b')).toBe(false);
    expect(state.claimTaskName('a')).toBe(true); // forgets b
    expect(state.claimTaskName('b')).toBe(true);
    expect(state.taskCount).toBe(3);
    for (let i = 0; i < 10_000; i++) state.claimTaskName(`load ${i}`);
    expect(state.taskCount).toBe(3);
  });

  it('holds 100,000 names by default', () => {
    const state = new MockState();
    for (let i = 0; i <= DEFAULT_MAX_TASK_NAMES; i++) state.claimTaskName(`task ${i}`);
    expect(DEFAULT_MAX_TASK_NAMES).toBe(100_000);
    expect(state.taskCount).toBe(DEFAULT_MAX_TASK_NAMES);
    expect(state.claimTaskName(`task ${DEFAULT_MAX_TASK_NAMES}`)).toBe(false);
    expect(state.claimTaskName('task 0')).toBe(true);
  });

  it('knows every keyId it issued, skipping the given ones, and no other', () => {
    const state = new MockState({ knownKeyIds: [299, 123123, 123125, 5], firstKeyId: 123124 });
    const issued = Array.from({ length: 5 }, () => state.issueKeyId());
    expect(issued).toEqual([123124, 123126, 123127, 123128, 123129]);
    for (const keyId of [...issued, 299, 123123, 123125, 5]) expect(state.isIssued(keyId)).toBe(true);
    for (const keyId of [1, 298, 123122, 123130, 123124.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(state.isIssued(keyId)).toBe(false);
    expect(state.isIssued('123124')).toBe(false);
  });

  it('issues from firstKeyId, skipping the given ones, the same keyIds for the same calls', () => {
    const run = () => {
      const state = new MockState({ knownKeyIds: [299, 1002], firstKeyId: 1000 });
      return Array.from({ length: 4 }, () => state.issueKeyId());
    };
    expect(run()).toEqual([1000, 1001, 1003, 1004]);
    expect(run()).toEqual(run());
  });

  it('shows and replaces what it knows: keyIds ascending, names oldest first', () => {
    const state = new MockState({ knownKeyIds: [7], firstKeyId: 3, maxTaskNames: 2 });
    state.claimTaskName('a');
    state.claimTaskName('b');
    state.claimTaskName('c'); // forgets a
    state.issueKeyId();
    expect(state.snapshot()).toEqual({ keyIds: [3, 7], taskNames: ['b', 'c'] });
    state.replace({ keyIds: [40, 3], taskNames: ['x'] });
    expect(state.snapshot()).toEqual({ keyIds: [3, 40], taskNames: ['x'] });
    expect(state.claimTaskName('x')).toBe(false);
    expect(state.issueKeyId()).toBe(4);
    expect(state.isIssued(7)).toBe(false);
    expect(() => state.replace({ keyIds: [], taskNames: ['1', '2', '3'] })).toThrow(/at most 2 task names/);
  });

  it('refuses a cap that is not a positive integer', () => {
    for (const cap of [0, -1, 1.5, Number.NaN]) expect(() => new MockState({ maxTaskNames: cap })).toThrow(/maxTaskNames must be a positive integer/);
    for (const first of [0, -1, 1.5, 2 ** 31]) expect(() => new MockState({ firstKeyId: first })).toThrow(/firstKeyId must be a keyId/);
  });
});
