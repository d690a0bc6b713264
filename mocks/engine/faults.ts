// Answers a test suite forces on the next calls, whatever the client sends: a documented answer, an HTTP
// error, a delay or a dropped connection, used in the order they were queued.
import { maxQueuedFaults, type Fault, type QueuedFault } from '../../generated/mock-control.js';
import type { OperationId } from '../../generated/operations.js';
import { MockControlError } from './control.js';

export class FaultQueue {
  #queue: QueuedFault[] = [];

  /** Queues a fault already checked against the control API's schema; the queue afterwards. */
  add(fault: Fault): QueuedFault[] {
    // The contract's bound: more would be a runaway suite, not a test plan.
    if (this.#queue.length >= maxQueuedFaults) {
      throw new MockControlError({
        message: 'POST /__mock/faults: the queue is full',
        findings: [{ path: '', keyword: 'maxItems', message: `at most ${maxQueuedFaults} faults can wait in the queue; DELETE /__mock/faults empties it` }],
      });
    }
    this.#queue.push({ ...fault, times: fault.times ?? 1 });
    return this.list();
  }

  list(): QueuedFault[] {
    return this.#queue.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.#queue = [];
  }

  /** The first fault for this operation (or for any), used once. */
  take(operation: OperationId): QueuedFault | undefined {
    const at = this.#queue.findIndex((fault) => fault.operation === undefined || fault.operation === operation);
    if (at === -1) return undefined;
    const fault = this.#queue[at]!;
    if (fault.times <= 1) this.#queue.splice(at, 1);
    else this.#queue[at] = { ...fault, times: fault.times - 1 };
    return fault;
  }
}
