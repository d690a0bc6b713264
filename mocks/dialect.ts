// The vendor's dialect: every answer is HTTP 200 with `{code, msg, data}` taken from the contract's named
// examples (so `code` keeps each example's type: "0" for a send, 0 for an update). Our additions are
// extra fields the vendor does not send, so the envelope a client parses stays the vendor's.
import type { ValidationFinding } from '../src/validation.js';
import type { Envelope, ExampleBook } from './prism.js';

export interface Refusal extends Envelope {
  /** The validator's findings, at most the mock's `maxFindings` of them. */
  findings: ValidationFinding[];
  /** How many findings there were in all. */
  findingsTotal: number;
}

/** `-22` with the contract's findings, as the SDK's validator states them. */
export function parameterException(
  book: ExampleBook,
  operationId: string,
  findings: ValidationFinding[],
  findingsTotal = findings.length,
): Refusal {
  return { ...book.example(operationId, 'parameterException'), findings, findingsTotal };
}

/** `-22` for a body that never reached the validator (not JSON, empty, too large, wrong content type). */
export function bodyProblem(book: ExampleBook, operationId: string, keyword: string, message: string): Refusal {
  return parameterException(book, operationId, [{ path: '', message, keyword }]);
}

/** A named example of the operation with a human-readable `detail` beside the vendor's message. */
export function explained(book: ExampleBook, operationId: string, name: string, detail: string): Envelope {
  return { ...book.example(operationId, name), detail };
}

/** The success example with the mock's own `data` (a fresh keyId for a send). */
export function success(book: ExampleBook, operationId: string, data?: unknown): Envelope {
  const example = book.example(operationId, 'success');
  return data === undefined ? example : { ...example, data };
}
