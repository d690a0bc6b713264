// The vendor's dialect: every answer is HTTP 200 with `{code, msg, data}` taken from the contract's named
// examples (so `code` keeps each example's type: "0" for a send, 0 for an update). The mock's additions
// (`detail`, `findings`, `findingsTotal`) are extra fields the vendor does not send, so the envelope a
// client parses stays the vendor's.
import { operationAnswers } from '../../generated/examples.js';
import type { OperationId } from '../../generated/operations.js';
import type { ValidationFinding } from '../../src/validation.js';

/** The vendor's envelope. */
export interface Envelope {
  code: number | string;
  msg: string;
  data: unknown;
  [extra: string]: unknown;
}

/** The names of an operation's documented answers, in the contract's order (`success` first). */
export function answerNames(operation: OperationId): string[] {
  return Object.keys(operationAnswers[operation]);
}

/** A documented answer by name, as the contract's example has it. */
export function namedAnswer(operation: OperationId, name: string): Envelope {
  const answers: Record<string, Envelope> = operationAnswers[operation];
  const answer = Object.hasOwn(answers, name) ? answers[name] : undefined;
  if (!answer) throw new Error(`the contract has no example ${name} for ${operation}`);
  return { ...answer };
}

/** `-22` with the contract's findings, as the SDK's validator states them, and how many there were. */
export function parameterException(operation: OperationId, findings: ValidationFinding[], findingsTotal = findings.length): Envelope {
  return { ...namedAnswer(operation, 'parameterException'), findings, findingsTotal };
}

/** A documented answer with a human-readable `detail` beside the vendor's message. */
export function explained(operation: OperationId, name: string, detail: string): Envelope {
  return { ...namedAnswer(operation, name), detail };
}

/** The success example with the mock's own `data` (a fresh keyId for a send). */
export function success(operation: OperationId, data?: unknown): Envelope {
  const example = namedAnswer(operation, 'success');
  return data === undefined ? example : { ...example, data };
}
