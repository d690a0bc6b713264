// Whether an answer is what the contract promises for an operation: HTTP 200, JSON, the 200 response's
// schema (generated/answer-validators.js), a `code` among the ones the contract lists for the operation,
// and on success the `data` the contract describes. Shared by the contract-check proxy and the SDK's
// `validateResponses`, so both report the same drift in the same words. Reports name places and rules,
// never whole bodies.
import * as answerValidators from '../generated/answer-validators.js';
import { operationCodes } from '../generated/codes.js';
import type { OperationId } from '../generated/operations.js';
import { responseChecks } from '../generated/response-checks.js';
import { BOM, foreignCharset, isJsonType, mediaType } from './media-type.js';
import type { VoiceDriftWarning } from './warnings.js';

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

/** 32 or more hex digits: what an md5, and so a `Sign`, looks like. */
const MD5_LIKE = /[0-9a-f]{32,}/gi;
const masked = (text: string) => text.replace(MD5_LIKE, '<hex digits>');

/** How much of a value a message shows. */
const SHOWN = 40;

/**
 * A value in a message, cut short: answers can hold anything. Anything shaped like a `Sign` is masked
 * (before cutting, so no part of one is left), so a server that echoes request headers into its answer
 * cannot put one in a report or a warning.
 */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nesting deeper than the stack: JSON.parse reads it, JSON.stringify cannot write it back.
    text = Array.isArray(value) ? '[…deeply nested…]' : '{…deeply nested…}';
  }
  const head = masked(text.slice(0, SHOWN + 31));
  return head.length > SHOWN || text.length > SHOWN + 31 ? `${head.slice(0, SHOWN)}…` : head;
}

export interface AnswerSeen {
  status: number;
  contentType: string | null;
  /** The body as text (decompressed, decoded as UTF-8, a leading byte order mark kept); `undefined`: not read. */
  body: string | undefined;
}

/** Everything about an answer that is not what the contract promises for `operation`; empty when none. */
export function answerDrift(operation: OperationId, answer: AnswerSeen): DriftFinding[] {
  const findings: DriftFinding[] = [];
  if (answer.status !== 200) findings.push({ path: '', keyword: 'status', message: `HTTP ${answer.status}: the contract promises HTTP 200 for every answer, refusals included` });
  if (!isJson(answer.contentType)) findings.push({ path: '', keyword: 'contentType', message: `content type ${shown(answer.contentType ?? 'none')}: the contract promises application/json` });
  const charset = foreignCharset(answer.contentType);
  if (charset !== undefined) {
    // Read as UTF-8 anyway, the body would say whatever the decoding made of it: it is not judged.
    findings.push({ path: '', keyword: 'contentType', message: `charset ${shown(charset)}: JSON on the wire is UTF-8 (RFC 8259), so the body was not checked` });
    return findings;
  }
  let body = answer.body;
  if (body === undefined) return findings;
  if (body.startsWith(BOM)) {
    findings.push({ path: '', keyword: 'json', message: 'the body starts with a byte order mark, which JSON on the wire must not (RFC 8259); the SDK skips one' });
    body = body.slice(BOM.length);
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    findings.push({ path: '', keyword: 'json', message: `the body is not JSON (${body.length} characters)` });
    return findings;
  }
  const validate = answerValidators[operation];
  if (!validate(envelope)) {
    for (const error of (validate.errors ?? []).slice(0, MAX_FINDINGS)) {
      findings.push({ path: masked(error.instancePath), keyword: error.keyword, message: `${error.message ?? 'is invalid'} (got ${shown(error.data)})` });
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

/** The drift of an answer as the SDK's warnings (`validateResponses`): one per finding. */
export function driftWarnings(operation: OperationId, answer: AnswerSeen): VoiceDriftWarning[] {
  return answerDrift(operation, answer).map(({ path, message, keyword }) => ({ operation, kind: 'drift', path, message, keyword, status: answer.status }));
}
