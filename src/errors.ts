// One error class per kind of failure, all sharing `VoiceError`, so callers can tell "the vendor said no"
// from "we never got an answer" — the second may mean a call task was created anyway.
// No error is ever given the secret, the signing headers or the request, so none can leak them.
import type { OperationId } from '../generated/operations.js';
import { errorCodeTable, type ErrorCodeName } from '../generated/codes.js';
import { formatFinding, type ValidationFinding } from './validation.js';

export type VoiceOperation = OperationId;

/** How many findings a `VoiceValidationError` message lists; `.findings` holds more (see validateRequest). */
const MESSAGE_FINDINGS = 50;
/** How much of an unexpected response body an error keeps, enough to recognise a proxy's error page. */
const BODY_SNIPPET = 500;

export function snippet(body: string): string {
  return body.length > BODY_SNIPPET ? `${body.slice(0, BODY_SNIPPET)}…` : body;
}

/** The base of every error the SDK throws; `operation` names the call that failed. */
export class VoiceError extends Error {
  override name = 'VoiceError';
  readonly operation: VoiceOperation;

  constructor(operation: VoiceOperation, message: string, options?: { cause?: unknown }) {
    super(`${operation}: ${message}`, options);
    this.operation = operation;
  }

  toJSON(): Record<string, unknown> {
    // Own enumerable fields (code, status, findings…) plus what JSON.stringify would otherwise drop.
    return { ...Object.fromEntries(Object.entries(this)), name: this.name, message: this.message };
  }
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

  constructor(operation: VoiceOperation, code: number, msg: string | null, status: number) {
    const known = errorCodeTable.find((entry) => entry.code === code);
    const label = known ? `${code} (${known.name})` : `${code}`;
    super(operation, `the vendor refused the request with code ${label}: ${msg ?? known?.vendorMessage ?? 'no message'}`);
    this.code = code;
    this.codeName = known?.name;
    this.msg = msg;
    this.description = known?.description;
    this.status = status;
  }
}

/** The answer was not HTTP 2xx: something between the SDK and the vendor failed (the vendor answers 200). */
export class VoiceHttpError extends VoiceError {
  override name = 'VoiceHttpError';
  readonly status: number;
  readonly statusText: string;
  /** The start of the response body, to recognise e.g. a proxy's error page. */
  readonly body: string;

  constructor(operation: VoiceOperation, status: number, statusText: string, body: string) {
    super(operation, `HTTP ${status}${statusText ? ` ${statusText}` : ''} instead of the vendor's JSON answer`);
    this.status = status;
    this.statusText = statusText;
    this.body = snippet(body);
  }
}

/** HTTP 2xx whose body is not the vendor's JSON envelope (HTML, empty, or no `code`). */
export class VoiceResponseError extends VoiceError {
  override name = 'VoiceResponseError';
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;

  constructor(operation: VoiceOperation, problem: string, status: number, contentType: string | null, body: string) {
    super(operation, `${problem} (HTTP ${status}, content-type ${contentType ?? 'none'})`);
    this.status = status;
    this.contentType = contentType;
    this.body = snippet(body);
  }
}

/**
 * A 2xx answer larger than `maxResponseBytes`, counted after decompression (the vendor's envelope is a few
 * hundred bytes). The SDK stopped reading at the limit, so memory stays bounded whatever the server sends;
 * `body` is the start of what it read.
 */
export class VoiceResponseTooLargeError extends VoiceResponseError {
  override name = 'VoiceResponseTooLargeError';
  readonly maxResponseBytes: number;

  constructor(operation: VoiceOperation, maxResponseBytes: number, status: number, contentType: string | null, body: string) {
    const problem = `the answer is larger than maxResponseBytes (${maxResponseBytes} bytes, counted after decompression), so the rest was not read; ${outcomeUnknown(operation)}`;
    super(operation, problem, status, contentType, body);
    this.maxResponseBytes = maxResponseBytes;
  }
}

function outcomeUnknown(operation: VoiceOperation): string {
  return operation === 'sendAgentGroupCall'
    ? 'the task may have been created; resend only the same request (same taskName), which the vendor then refuses with -41 if it went through'
    : 'the flow may have been replaced; resending the same update is safe';
}

/** No answer within the timeout; the request may still have reached the vendor. */
export class VoiceTimeoutError extends VoiceError {
  override name = 'VoiceTimeoutError';
  readonly timeoutMs: number;

  constructor(operation: VoiceOperation, timeoutMs: number) {
    super(operation, `no answer within ${timeoutMs} ms; ${outcomeUnknown(operation)}`);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` fired; `cause` is its reason. */
export class VoiceAbortError extends VoiceError {
  override name = 'VoiceAbortError';

  constructor(operation: VoiceOperation, reason: unknown) {
    super(operation, `aborted by the caller; ${outcomeUnknown(operation)}`, { cause: reason });
  }
}

function nothingDone(operation: VoiceOperation): string {
  return operation === 'sendAgentGroupCall' ? 'no task was created and sending again is safe' : 'the flow was not changed';
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

  constructor(operation: VoiceOperation, cause: unknown, nothingSent = false) {
    const detail = describeCause(cause);
    const outcome = nothingSent ? `nothing reached the server, so ${nothingDone(operation)}` : outcomeUnknown(operation);
    super(operation, `network failure${detail ? ` (${detail})` : ''}; ${outcome}`, { cause });
    this.nothingSent = nothingSent;
  }
}

/** The `sign` callback threw or returned something other than a string; nothing was sent. */
export class VoiceSigningError extends VoiceError {
  override name = 'VoiceSigningError';

  constructor(operation: VoiceOperation, problem: string, cause?: unknown) {
    super(operation, `could not sign the request: ${problem}; nothing was sent`, cause === undefined ? undefined : { cause });
  }
}

/**
 * The body cannot be sent; nothing was sent. `findings` holds the problems with their JSON paths: all of
 * them, or the first 1,000 when there are more (`total` counts them all).
 */
export class VoiceValidationError extends VoiceError {
  override name = 'VoiceValidationError';
  readonly findings: ValidationFinding[];
  /** How many problems there were in all; more than `findings.length` when the list was cut. */
  readonly total: number;

  constructor(operation: VoiceOperation, findings: ValidationFinding[], total = findings.length, what = 'the contract refuses this request') {
    const listed = findings.slice(0, MESSAGE_FINDINGS).map((f) => `  ${formatFinding(f)}`);
    const rest = total - listed.length;
    const where = findings.length < total ? `.findings holds the first ${findings.length}` : 'see .findings';
    const more = rest > 0 ? [`  … and ${rest} more (${where})`] : [];
    const count = total === 1 ? '1 problem' : `${total} problems`;
    super(operation, `${what} (${count}); nothing was sent:\n${[...listed, ...more].join('\n')}`);
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
