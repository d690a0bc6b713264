// Answers a test suite forces on the next calls, whatever the client sends: a documented answer, an HTTP
// error, a delay or a dropped connection, used in the order they were queued.
import type { Fault, QueuedFault } from '../../generated/mock-control.js';
import type { OperationId } from '../../generated/operations.js';

/** More would be a runaway suite, not a test plan. */
export const MAX_QUEUED_FAULTS = 1000;

export class FaultQueue {
  #queue: QueuedFault[] = [];

  /** Queues a fault already checked against the control API's schema; the queue afterwards. */
  add(fault: Fault): QueuedFault[] {
    if (this.#queue.length >= MAX_QUEUED_FAULTS) throw new RangeError(`at most ${MAX_QUEUED_FAULTS} faults can be queued`);
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
