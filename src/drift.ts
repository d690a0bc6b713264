// Whether an answer is what the contract promises for an operation: HTTP 200, JSON, the 200 response's
// schema (generated/answer-validators.js), a `code` among the ones the contract lists for the operation,
// and on success the `data` the contract describes. Shared by the contract-check proxy and the SDK's
// `validateResponses`, so both report the same drift in the same words. Reports name places and rules,
// never whole bodies.
import * as answerValidators from '../generated/answer-validators.js';
import { operationCodes } from '../generated/codes.js';
import type { OperationId } from '../generated/operations.js';
import { responseChecks } from '../generated/response-checks.js';
import { isJsonType, mediaType } from './media-type.js';

export interface DriftFinding {
  /** JSON Pointer into the answer's body (`''`: the answer itself). */
  path: string;
  /** What differs from the contract. */
  message: string;
  /** The contract's rule: `status`, `contentType`, `json`, `code`, or the schema keyword (`type`, `pattern`…). */
  keyword: string;
}

/** At most this many schema findings per answer: enough to see what drifted, never a body's worth. */
const MAX_FINDINGS = 20;

const isJson = (type: string | null) => type !== null && isJsonType(mediaType(type).type);

/** A value in a message, cut short: answers can hold anything. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export interface AnswerSeen {
  status: number;
  contentType: string | null;
  /** The body as text (decompressed). */
  body: string;
}

/** Everything about an answer that is not what the contract promises for `operation`; empty when none. */
export function answerDrift(operation: OperationId, answer: AnswerSeen): DriftFinding[] {
  const findings: DriftFinding[] = [];
  if (answer.status !== 200) findings.push({ path: '', keyword: 'status', message: `HTTP ${answer.status}: the contract promises HTTP 200 for every answer, refusals included` });
  if (!isJson(answer.contentType)) findings.push({ path: '', keyword: 'contentType', message: `content type ${shown(answer.contentType ?? 'none')}: the contract promises application/json` });
  let envelope: unknown;
  try {
    envelope = JSON.parse(answer.body);
  } catch {
    findings.push({ path: '', keyword: 'json', message: `the body is not JSON (${answer.body.length} characters)` });
    return findings;
  }
  const validate = answerValidators[operation];
  if (!validate(envelope)) {
    for (const error of (validate.errors ?? []).slice(0, MAX_FINDINGS)) {
      findings.push({ path: error.instancePath, keyword: error.keyword, message: `${error.message ?? 'is invalid'} (got ${shown(error.data)})` });
    }
    return findings;
  }
  const { code, data } = envelope as { code: number | string; data?: unknown };
  const listed: readonly number[] = operationCodes[operation];
  if (!listed.includes(Number(code))) {
    findings.push({ path: '/code', keyword: 'code', message: `${shown(code)} is not among the codes the contract lists for ${operation} (${listed.join(', ')})` });
  } else if (Number(code) === 0 && !responseChecks[operation].data(data)) {
    findings.push({ path: '/data', keyword: 'data', message: `a success's data must be what the contract describes, not ${shown(data)}` });
  }
  return findings;
}
