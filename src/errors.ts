// One error class per kind of failure, all sharing `VoiceError`, so callers can tell "the vendor said no"
// from "we never got an answer" — the second may mean a call task was created anyway.
//
// As in stripe-node, each error is built from one raw object describing what happened (`new
// VoiceApiError({ operation, status, envelope })`); the subclass words the message from it and keeps the
// raw facts as fields, the vendor's whole answer included. No error is ever given the secret, the signing
// headers or the request, so none can leak them.
import type { OperationId } from '../generated/operations.js';
import { errorCodeTable, type ErrorCodeName } from '../generated/codes.js';
import { operationRules } from './operations.js';
import { formatFinding, MAX_COUNTED_FINDINGS, type ValidationFinding } from './validation.js';

export type VoiceOperation = OperationId;

/** How many findings an error message lists; the error's `.findings` holds more. */
const MESSAGE_FINDINGS = 50;
/** How much of an unexpected response body an error keeps, enough to recognise a proxy's error page. */
const BODY_SNIPPET = 500;
/** The longest a line of an error message quotes from an answer (a mock's `detail`, one finding). */
const LINE_SNIPPET = 300;

export function snippet(body: string, max = BODY_SNIPPET): string {
  return body.length > max ? `${body.slice(0, max)}…` : body;
}

/** What every error is made from: the operation that failed, and what caused it, if anything threw. */
export interface VoiceErrorRaw {
  operation: VoiceOperation;
  cause?: unknown;
}

/** The base of every error the SDK throws; `operation` names the call that failed. */
export class VoiceError extends Error {
  override name = 'VoiceError';
  readonly operation: VoiceOperation;

  constructor(raw: VoiceErrorRaw & { message: string }) {
    super(`${raw.operation}: ${raw.message}`, 'cause' in raw ? { cause: raw.cause } : undefined);
    this.operation = raw.operation;
  }

  toJSON(): Record<string, unknown> {
    // Own enumerable fields (code, status, findings…) plus what JSON.stringify would otherwise drop.
    return { ...Object.fromEntries(Object.entries(this)), name: this.name, message: this.message };
  }
}

/**
 * The vendor's envelope as it arrived (`{ code, msg, data }`), with whatever else it held: a mock adds
 * `detail` (why, in words) and, for -22, `findings` and `findingsTotal`.
 */
export interface VoiceEnvelope {
  code: number | string;
  msg?: unknown;
  reason?: unknown;
  data?: unknown;
  detail?: unknown;
  findings?: unknown;
  findingsTotal?: unknown;
  [field: string]: unknown;
}

export interface VoiceApiErrorRaw extends VoiceErrorRaw {
  /** The HTTP status the envelope came with (the vendor sends refusals with 200). */
  status: number;
  /** The whole answer, parsed; its `code` is a non-zero integer code (-41 or "-41"). */
  envelope: VoiceEnvelope;
}

/** The vendor answered with a non-zero `code`: the request was understood and refused. */
export class VoiceApiError extends VoiceError {
  override name = 'VoiceApiError';
  /** The vendor's code as a number, e.g. -41. */
  readonly code: number;
  /** The code's name in the contract (`taskNameExists`), or undefined for a code the contract does not list. */
  readonly codeName: ErrorCodeName | undefined;
  /** The vendor's own words (`msg` or `reason`), or null when it sent none. */
  readonly msg: string | null;
  /** The contract's description of the code, or undefined for a code it does not list. */
  readonly description: string | undefined;
  /** The HTTP status (the vendor sends refusals with 200). */
  readonly status: number;
  /** The whole answer as it arrived, every field of it (the answer itself is bounded by maxResponseBytes). */
  readonly envelope: VoiceEnvelope;
  /** The envelope's `data` (undefined when it had none). */
  readonly data: unknown;
  /** Why, in words, when the answer says (the local mock does: "this mock never issued keyId 987654"). */
  readonly detail: string | undefined;
  /** What the server found wrong with the body, when it lists it (the mock does with -22), path by path. */
  readonly findings: ValidationFinding[] | undefined;
  /** How many findings there were in all, when the server counts them (`findingsTotal`). */
  readonly findingsTotal: number | undefined;

  constructor(raw: VoiceApiErrorRaw) {
    const { envelope } = raw;
    const code = Number(envelope.code);
    const known = errorCodeTable.find((entry) => entry.code === code);
    const said = typeof envelope.msg === 'string' ? envelope.msg : typeof envelope.reason === 'string' ? envelope.reason : null;
    const msg = said === null ? null : snippet(said);
    const detail = typeof envelope.detail === 'string' ? envelope.detail : undefined;
    const findings = findingsIn(envelope.findings);
    const findingsTotal = typeof envelope.findingsTotal === 'number' && Number.isSafeInteger(envelope.findingsTotal) ? envelope.findingsTotal : findings?.length;
    const label = known ? `${code} (${known.name})` : `${code}`;
    const lines = [
      `the vendor refused the request with code ${label}: ${msg ?? known?.vendorMessage ?? 'no message'}${detail ? ` (${snippet(detail, LINE_SNIPPET)})` : ''}`,
      ...(findings ? listed(findings, findingsTotal ?? findings.length, 'see .findings') : []),
    ];
    super({ ...raw, message: lines.join('\n') });
    this.code = code;
    this.codeName = known?.name;
    this.msg = msg;
    this.description = known?.description;
    this.status = raw.status;
    this.envelope = envelope;
    this.data = envelope.data;
    this.detail = detail;
    this.findings = findings;
    this.findingsTotal = findingsTotal;
  }
}

/** A server's `findings`, kept when it is a list of `{ path, message }` (anything else is left in `envelope`). */
function findingsIn(value: unknown): ValidationFinding[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const findings: ValidationFinding[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, message, keyword } = item as Record<string, unknown>;
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    findings.push({ path, message, keyword: typeof keyword === 'string' ? keyword : '' });
  }
  return findings.length > 0 || value.length === 0 ? findings : undefined;
}

/** The first findings as message lines, each cut short, and a line counting the rest. */
function listed(findings: readonly ValidationFinding[], total: number, where: string): string[] {
  const lines = findings.slice(0, MESSAGE_FINDINGS).map((f) => `  ${snippet(formatFinding(f), LINE_SNIPPET)}`);
  const rest = total - lines.length;
  const more = total === MAX_COUNTED_FINDINGS ? `at least ${rest} more` : `${rest} more`;
  return rest > 0 ? [...lines, `  … and ${more} (${where})`] : lines;
}

export interface VoiceHttpErrorRaw extends VoiceErrorRaw {
  status: number;
  statusText: string;
  /** The response body as read (cut to a snippet on the error). */
  body: string;
}

/** The answer was not HTTP 2xx: something between the SDK and the vendor failed (the vendor answers 200). */
export class VoiceHttpError extends VoiceError {
  override name = 'VoiceHttpError';
  readonly status: number;
  readonly statusText: string;
  /** The start of the response body, to recognise e.g. a proxy's error page. */
  readonly body: string;

  constructor(raw: VoiceHttpErrorRaw) {
    super({ ...raw, message: `HTTP ${raw.status}${raw.statusText ? ` ${raw.statusText}` : ''} instead of the vendor's JSON answer` });
    this.status = raw.status;
    this.statusText = raw.statusText;
    this.body = snippet(raw.body);
  }
}

export interface VoiceResponseErrorRaw extends VoiceErrorRaw {
  /** What is wrong with the answer, e.g. `response body is not JSON`. */
  problem: string;
  status: number;
  contentType: string | null;
  body: string;
}

/** HTTP 2xx whose body is not the vendor's JSON envelope (HTML, empty, or no `code`). */
export class VoiceResponseError extends VoiceError {
  override name = 'VoiceResponseError';
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;

  constructor(raw: VoiceResponseErrorRaw) {
    super({ ...raw, message: `${raw.problem} (HTTP ${raw.status}, content-type ${raw.contentType ?? 'none'})` });
    this.status = raw.status;
    this.contentType = raw.contentType;
    this.body = snippet(raw.body);
  }
}

export interface VoiceResponseTooLargeErrorRaw extends Omit<VoiceResponseErrorRaw, 'problem'> {
  maxResponseBytes: number;
}

/**
 * A 2xx answer larger than `maxResponseBytes`, counted after decompression (the vendor's envelope is a few
 * hundred bytes). The SDK stopped reading at the limit, so memory stays bounded whatever the server sends;
 * `body` is the start of what it read.
 */
export class VoiceResponseTooLargeError extends VoiceResponseError {
  override name = 'VoiceResponseTooLargeError';
  readonly maxResponseBytes: number;

  constructor(raw: VoiceResponseTooLargeErrorRaw) {
    const limit = `${raw.maxResponseBytes} bytes, counted after decompression`;
    super({ ...raw, problem: `the answer is larger than maxResponseBytes (${limit}), so the rest was not read; ${operationRules[raw.operation].outcomeUnknown}` });
    this.maxResponseBytes = raw.maxResponseBytes;
  }
}

export interface VoiceTimeoutErrorRaw extends VoiceErrorRaw {
  timeoutMs: number;
}

/** No answer within the timeout; the request may still have reached the vendor. */
export class VoiceTimeoutError extends VoiceError {
  override name = 'VoiceTimeoutError';
  readonly timeoutMs: number;

  constructor(raw: VoiceTimeoutErrorRaw) {
    super({ ...raw, message: `no answer within ${raw.timeoutMs} ms; ${operationRules[raw.operation].outcomeUnknown}` });
    this.timeoutMs = raw.timeoutMs;
  }
}

/** The caller's `AbortSignal` fired; `cause` is its reason. */
export class VoiceAbortError extends VoiceError {
  override name = 'VoiceAbortError';

  constructor(raw: VoiceErrorRaw) {
    super({ ...raw, cause: raw.cause, message: `aborted by the caller; ${operationRules[raw.operation].outcomeUnknown}` });
  }
}

export interface VoiceNetworkErrorRaw extends VoiceErrorRaw {
  /** True when nothing of the request can have reached the server (default false: it may have). */
  nothingSent?: boolean;
}

/**
 * The request failed without an answer; `cause` is the fetch implementation's error. `nothingSent` tells
 * the two kinds apart: true when nothing can have reached the server (the connection could not be opened:
 * refused, DNS failure, TLS handshake refused, connect timeout; or the request failed before it was handed
 * to fetch), false when the request may have arrived (reset, closed mid-answer…).
 */
export class VoiceNetworkError extends VoiceError {
  override name = 'VoiceNetworkError';
  /** True when nothing of the request can have reached the server; false when it may have. */
  readonly nothingSent: boolean;

  constructor(raw: VoiceNetworkErrorRaw) {
    const nothingSent = raw.nothingSent ?? false;
    const detail = describeCause(raw.cause);
    const rule = operationRules[raw.operation];
    const outcome = nothingSent ? `nothing reached the server, so ${rule.nothingDone}` : rule.outcomeUnknown;
    super({ ...raw, cause: raw.cause, message: `network failure${detail ? ` (${detail})` : ''}; ${outcome}` });
    this.nothingSent = nothingSent;
  }
}

export interface VoiceSigningErrorRaw extends VoiceErrorRaw {
  /** What went wrong, e.g. `the sign callback threw`. */
  problem: string;
}

/** The `sign` callback threw or returned something other than a string; nothing was sent. */
export class VoiceSigningError extends VoiceError {
  override name = 'VoiceSigningError';

  constructor(raw: VoiceSigningErrorRaw) {
    super({ ...raw, message: `could not sign the request: ${raw.problem}; nothing was sent` });
  }
}

export interface VoiceValidationErrorRaw extends VoiceErrorRaw {
  /** The problems, each with its JSON path (the first ones, when there were very many). */
  findings: ValidationFinding[];
  /** How many problems there were in all (default: as many as `findings`). */
  total?: number;
  /** Why the body is refused (default: the contract refuses it). */
  reason?: string;
}

/**
 * The body cannot be sent; nothing was sent. `findings` holds the problems with their JSON paths: all of
 * them, or the first 1,000 when there are more (`total` counts them, up to MAX_COUNTED_FINDINGS: 10,000).
 */
export class VoiceValidationError extends VoiceError {
  override name = 'VoiceValidationError';
  readonly findings: ValidationFinding[];
  /**
   * How many problems there were in all; more than `findings.length` when the list was cut. Counting stops
   * at MAX_COUNTED_FINDINGS (10,000): a total of that many means that many or more.
   */
  readonly total: number;

  constructor(raw: VoiceValidationErrorRaw) {
    const { findings, total = findings.length, reason = 'the contract refuses this request' } = raw;
    const where = findings.length < total ? `.findings holds the first ${findings.length}` : 'see .findings';
    const count = total === 1 ? '1 problem' : total === MAX_COUNTED_FINDINGS ? `${total} or more problems` : `${total} problems`;
    super({ ...raw, message: `${reason} (${count}); nothing was sent:\n${listed(findings, total, where).join('\n')}` });
    this.findings = findings;
    this.total = total;
  }
}

/** Error codes that mean the connection was never opened, so not a byte of the request was written. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/**
 * TLS failures of the handshake, before any HTTP byte: certificate checks (DEPTH_ZERO_SELF_SIGNED_CERT,
 * CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, UNABLE_TO_VERIFY_LEAF_SIGNATURE…) and protocol
 * mismatches (ERR_SSL_WRONG_VERSION_NUMBER when the port speaks plain HTTP). Other TLS errors may come
 * mid-connection and count as "may have arrived".
 */
const HANDSHAKE_FAILED = /CERT|^UNABLE_TO_|^ERR_TLS_CERT|^ERR_SSL_.*(HANDSHAKE|WRONG_VERSION_NUMBER|UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|NO_PROTOCOLS|UNKNOWN_PROTOCOL|NO_SHARED_CIPHER)/;

/**
 * Whether a fetch failure happened before the connection was open (checked along `cause`, and every
 * error of an AggregateError, as when each address of a host refused). undici's codes; Node's fetch also
 * refuses "bad ports" (6000, 1…) before connecting, with no code.
 */
export function neverConnected(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NEVER_CONNECTED.has(code) || HANDSHAKE_FAILED.test(code))) return true;
    if (current instanceof AggregateError && current.errors.length > 0 && current.errors.every(neverConnected)) return true;
    if (current.message === 'bad port' && code === undefined) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** undici hides the useful part (ECONNREFUSED, ECONNRESET…) in `cause`; name it in the message. */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${code}: ${current.message}` : current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' ← ');
}
