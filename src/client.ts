// The thin wrapper: validation before sending, timeouts, a bound on what is read back, and turning the
// vendor's envelope and every transport failure into one typed error. Signing lives in middleware so
// `raw` is signed too.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import {
  VoiceAbortError,
  VoiceApiError,
  VoiceError,
  VoiceHttpError,
  VoiceNetworkError,
  VoiceResponseError,
  VoiceSigningError,
  VoiceTimeoutError,
  VoiceValidationError,
  neverConnected,
  type VoiceEnvelope,
  type VoiceOperation,
} from './errors.js';
import {
  MalformedData,
  operationAt,
  operationIds,
  operationPaths,
  operationRules,
  shown,
  type OperationId,
  type OperationResult,
  type RequestBody,
} from './operations.js';
import { FastPathError, PlainRequest, plainTransport } from './plain-request.js';
import { computeSign, unixSeconds } from './sign.js';
import { responseChecks } from '../generated/response-checks.js';
import { driftWarnings, type AnswerSeen } from './drift.js';
import { BOM, foreignCharset } from './media-type.js';
import { DEFAULT_MAX_RESPONSE_BYTES, limitResponse, readLimited } from './response-limit.js';
import { unsendable } from './sendable.js';
import { DEFAULT_MAX_FINDINGS, validateRequest } from './validation.js';
import { SDK_VERSION } from './version.js';
import { collectWarnings, type VoiceWarning } from './warnings.js';
import { DEFAULT_BASE_URL } from './base-url.js';

export { DEFAULT_BASE_URL };
/** Long enough for a 200,000-number task (about 22 MB) to upload and be answered. */
export const DEFAULT_TIMEOUT_MS = 60_000;
export { DEFAULT_MAX_RESPONSE_BYTES };

/** Signs for another party that holds the secret: returns `Sign` for this key and timestamp. */
export type SignFunction = (apiKey: string, timestamp: string) => string | Promise<string>;

interface CommonOptions {
  apiKey: string;
  /** An absolute `http:` or `https:` URL without credentials, query or fragment (default `https://api.itniotech.com`). Checked when the client is created. */
  baseUrl?: string;
  /** A fetch implementation (default: the global `fetch`). */
  fetch?: (request: Request) => Promise<Response>;
  /** The clock in milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  /** Added to the `Timestamp` header, for when the vendor answers -16 because clocks differ. */
  clockOffsetSeconds?: number;
  /** Default timeout per call in ms (default 60,000; 0 disables it). */
  timeoutMs?: number;
  /**
   * Validate bodies against the contract before sending (default true). Either way a body holding what JSON
   * cannot carry (NaN, ±Infinity, a BigInt, a cycle) is refused before anything is sent, since
   * JSON.stringify would silently send `null` or throw: that is about serialising, not the contract.
   */
  validate?: boolean;
  /**
   * The most bytes of an answer the SDK reads, counted after decompression (default 1 MiB); `Infinity`
   * lifts the limit. The vendor's answers are a few hundred bytes, so anything near this is not the vendor:
   * a 2xx answer past it rejects with a VoiceResponseTooLargeError, and a non-2xx one is cut there (its
   * error keeps a snippet anyway). Without a limit a 500 MB answer is held whole and a 3 MB gzip bomb
   * inflates until the process dies. It applies to `raw` calls too.
   */
  maxResponseBytes?: number;
  /** Receives advice the contract cannot refuse (truncated texts, unknown fields…), and drift. Nothing is logged otherwise. */
  onWarning?: (warning: VoiceWarning) => void;
  /**
   * Hold every answer a typed call reads to the contract, with the contract-check proxy's checks (default
   * false): HTTP 200, JSON in UTF-8, the envelope's schema, a `code` the contract lists for the operation,
   * a success's `data`. Each difference goes to `onWarning` as a warning of kind `drift`, which is all it
   * does: the call resolves or rejects exactly as it would without. Requires `onWarning`. Not applied to
   * `raw` calls, nor to an answer past `maxResponseBytes` (never read whole). Off, nothing is checked.
   */
  validateResponses?: boolean;
  /** Prepended to the SDK's own `itnio-voice/<version>` User-Agent. */
  userAgent?: string;
}

export type VoiceClientOptions = CommonOptions &
  (
    | { /** Server-side only: anything holding it can sign as you. */ apiSecret: string; sign?: never }
    | { /** Computes `Sign` elsewhere, so this process never holds the secret. */ sign: SignFunction; apiSecret?: never }
  );

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call (0 disables it). */
  timeoutMs?: number;
}

/**
 * One method per operation of the contract, named by its operationId, taking the contract's request type
 * and resolving with what src/operations.ts says the operation answers (documented there, per operation).
 */
export type VoiceOperations = {
  [Op in keyof typeof operationRules]: (body: RequestBody<Op>, options?: CallOptions) => Promise<OperationResult<Op>>;
};

export interface VoiceClient extends VoiceOperations {
  /** The openapi-fetch client (signing and User-Agent included) for `{ data, error, response }` calls and `use()`. */
  readonly raw: Client<paths>;
}

/** A successful answer: the envelope's `data`, with the response it came in for error reports. */
interface Answer {
  data: unknown;
  response: Response;
  text: string;
}

/** Marks the abort our own timer caused, to tell it from the caller's signal. */
const TIMED_OUT = Symbol('timed out');

export function createVoiceClient(options: VoiceClientOptions): VoiceClient {
  // Take what is needed and keep the secret only in this closure: never on an object, so no inspect,
  // JSON.stringify or error can reach it.
  const {
    apiKey,
    baseUrl = DEFAULT_BASE_URL,
    fetch: customFetch,
    now = Date.now,
    clockOffsetSeconds = 0,
    timeoutMs: defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    validate = true,
    onWarning,
    validateResponses = false,
    userAgent,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
  } = options;
  if (typeof apiKey !== 'string' || apiKey === '') throw new TypeError('createVoiceClient: apiKey must be a non-empty string');
  checkBaseUrl(baseUrl);
  if (!(maxResponseBytes === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0))) {
    throw new TypeError(`createVoiceClient: maxResponseBytes must be a positive whole number of bytes or Infinity (got ${String(maxResponseBytes)})`);
  }
  if (validateResponses && !onWarning) throw new TypeError('createVoiceClient: validateResponses reports drift through onWarning; pass onWarning too');
  const sign = signerFrom(options);
  const reportDrift = validateResponses && onWarning ? driftReporter(onWarning) : undefined;

  /** The fetch a call goes through, looked up per call (as a bare fetch is) so later patches still apply. */
  const transport = (request: Request): Promise<Response> => (customFetch ?? globalThis.fetch)(request);
  // Node's fetch frames bodies by Content-Length; a caller's fetch may not, so its answers are always counted.
  const limited = (operation: VoiceOperation, response: Response) => limitResponse(response, operation, maxResponseBytes, !customFetch);

  // The operation of each request a `raw` call hands to fetch, as the middleware saw it by its schema path
  // (the signing middleware for the request it signed; `lastWord` for the one caller middleware left).
  const operationOfRequest = new WeakMap<Request, OperationId>();
  const client = createClient<paths>({
    baseUrl,
    // A redirect would resend the signed headers (and a 307 the body: a second task) to wherever it
    // points; the vendor never redirects, so a 3xx surfaces as a VoiceHttpError instead.
    redirect: 'manual',
    headers: { 'User-Agent': userAgent ? `${userAgent} itnio-voice/${SDK_VERSION}` : `itnio-voice/${SDK_VERSION}` },
    // `raw` calls read their answers through the same limit as typed ones.
    fetch: async (request: Request) => {
      // A typed call brings its own fetch; a PlainRequest here means openapi-fetch ignored it.
      if (request instanceof PlainRequest) throw new FastPathError('fetch');
      const operation = operationOfRequest.get(request);
      if (operation === undefined) throw new TypeError('itnio-voice: a request reached fetch without passing the signing middleware');
      return limited(operation, await transport(request));
    },
  });
  client.use(signingMiddleware(apiKey, sign, now, clockOffsetSeconds, operationOfRequest));

  // Caller middleware must see a real Request; until there is some, typed calls skip building one. While
  // there is some, `lastWord` runs after it, to note the operation of the request it leaves for fetch.
  const callerMiddleware: Middleware[] = [];
  const lastWord: Middleware = {
    onRequest({ request, schemaPath }) {
      const operation = operationAt(schemaPath);
      if (operation !== undefined) operationOfRequest.set(request, operation);
    },
  };
  const raw: Client<paths> = {
    ...client,
    use(...middleware) {
      client.eject(lastWord);
      try {
        for (const m of middleware) {
          client.use(m); // throws on a malformed middleware before it is counted
          if (m) callerMiddleware.push(m);
        }
      } finally {
        if (callerMiddleware.length > 0) client.use(lastWord);
      }
    },
    eject(...middleware) {
      client.eject(...middleware);
      for (const m of middleware) {
        const at = callerMiddleware.indexOf(m);
        if (at !== -1) callerMiddleware.splice(at, 1);
      }
      if (callerMiddleware.length === 0) client.eject(lastWord);
    },
  };

  async function call(operation: VoiceOperation, body: unknown, callOptions: CallOptions = {}): Promise<Answer> {
    if (validate) {
      const verdict = validateRequest(operation, body);
      if (!verdict.valid) throw new VoiceValidationError({ operation, findings: verdict.findings, total: verdict.total });
    }
    const serialised = serialise(operation, body);
    if (onWarning) for (const warning of collectWarnings(operation, body)) onWarning(warning);

    const { signal, timeoutMs = defaultTimeoutMs } = callOptions;
    if (signal?.aborted) throw new VoiceAbortError({ operation, cause: signal.reason });
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs > 0 && Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(TIMED_OUT), timeoutMs) : undefined;

    // Until the request is handed to fetch, nothing can have reached the server (serialising, headers,
    // caller middleware…): a failure before then says so.
    let handedToFetch = false;
    // With validateResponses: the answer fetch gave, and whether it has been checked (an answer refused
    // before openapi-fetch returns it, such as an HTTP 999, is checked where it fails).
    let answered: Response | undefined;
    let checkedAnswer = false;
    const checkAnswer = (response: Response, body: string | undefined) => {
      checkedAnswer = true;
      reportDrift?.(operation, { status: response.status, contentType: response.headers.get('content-type'), body });
    };
    const plain = !customFetch && callerMiddleware.length === 0;
    const send = plain ? plainTransport.fetch : transport;
    // The call ends when the signal fires, whatever fetch does with it: Node 20's fetch never settles a
    // close-delimited body that claims gzip but is not (and ignores the abort), so the timeout must not
    // depend on fetch honouring it.
    let onStop: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      onStop = () => reject(controller.signal.reason);
      controller.signal.addEventListener('abort', onStop, { once: true });
    });
    // Caller middleware may read the answer too, so it gets one already limited; otherwise a 2xx body is
    // read here, counting as it goes (cheaper than a wrapped stream), and error pages are limited as ever.
    const watched = callerMiddleware.length > 0;
    try {
      // parseAs 'stream': the body is read below through the byte limit (src/response-limit.ts), and
      // openapi-fetch would throw a bare SyntaxError on a non-JSON 200 where we explain it instead.
      const posted = raw.POST(operationPaths[operation], {
        body: body as never,
        // The text checked above, so what is sent is exactly what was checked (and is not serialised twice).
        ...(serialised === undefined ? {} : { bodySerializer: () => serialised }),
        signal: controller.signal,
        parseAs: 'stream',
        ...(plain ? { Request: plainTransport.Request } : {}),
        fetch: async (request: Request) => {
          // Without caller middleware openapi-fetch must have built our PlainRequest (its per-call
          // `Request`); anything else would be sent as something other than what was checked.
          if (plain && !(request instanceof PlainRequest)) throw new FastPathError('Request');
          handedToFetch = true;
          const response = await send(request);
          if (reportDrift) answered = response;
          return response.ok && !watched ? response : limited(operation, response);
        },
      });
      const { data, error, response } = await Promise.race([posted, stopped]);
      if (!response.ok) {
        const text = typeof error === 'string' ? error : error === undefined ? '' : JSON.stringify(error);
        if (reportDrift) checkAnswer(response, text);
        throw new VoiceHttpError({ operation, status: response.status, statusText: response.statusText, body: text });
      }
      const contentType = response.headers.get('content-type');
      const charset = foreignCharset(contentType);
      if (charset !== undefined) {
        // JSON on the wire is UTF-8 (RFC 8259) and the vendor sends UTF-8: an answer declaring anything
        // else is not guessed at, nor read as UTF-8 regardless (a UTF-16 body would read as noise).
        await data?.cancel().catch(() => {});
        if (reportDrift) checkAnswer(response, undefined);
        const problem = `the answer declares charset=${shown(charset.slice(0, 40))}, but JSON answers are UTF-8 (RFC 8259), so it was not read; ${operationRules[operation].outcomeUnknown}`;
        throw new VoiceResponseError({ operation, problem, status: response.status, contentType, body: '' });
      }
      const read = await Promise.race([readLimited(data, response, operation, maxResponseBytes), stopped]);
      if (reportDrift) checkAnswer(response, read);
      // One leading byte order mark is skipped: JSON senders must not add one, readers may ignore it (RFC 8259).
      const text = read.startsWith(BOM) ? read.slice(BOM.length) : read;
      return { data: readEnvelope(operation, response, text), response, text };
    } catch (error) {
      if (answered && !checkedAnswer && error instanceof VoiceHttpError) checkAnswer(answered, undefined);
      if (error instanceof VoiceError || error instanceof FastPathError) throw error;
      if (controller.signal.aborted) {
        if (controller.signal.reason === TIMED_OUT) throw new VoiceTimeoutError({ operation, timeoutMs });
        throw new VoiceAbortError({ operation, cause: controller.signal.reason });
      }
      throw new VoiceNetworkError({ operation, cause: error, nothingSent: !handedToFetch || neverConnected(error) });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      controller.signal.removeEventListener('abort', onStop!);
    }
  }

  // One method per operation of the contract, each resolving as its rule in src/operations.ts says.
  const methods: Record<string, (body: unknown, callOptions?: CallOptions) => Promise<unknown>> = {};
  for (const operation of operationIds) {
    methods[operation] = async (body, callOptions) => {
      const { data, response, text } = await call(operation, body, callOptions);
      try {
        return operationRules[operation].resolve(data, responseChecks[operation].data);
      } catch (error) {
        if (!(error instanceof MalformedData)) throw error;
        throw new VoiceResponseError({ operation, problem: `code 0 but ${error.problem}`, status: response.status, contentType: response.headers.get('content-type'), body: text });
      }
    };
  }
  return { ...(methods as VoiceOperations), raw };
}

/**
 * Reports an answer's drift through `onWarning`. A hook that throws is ignored here: the answer has
 * arrived, and drift alone must never cost the caller the result (a created task's keyId).
 */
function driftReporter(onWarning: (warning: VoiceWarning) => void): (operation: VoiceOperation, answer: AnswerSeen) => void {
  return (operation, answer) => {
    for (const warning of driftWarnings(operation, answer)) {
      try {
        onWarning(warning);
      } catch {
        // see above
      }
    }
  };
}

/**
 * The body as JSON text, refused if JSON cannot carry it as it stands, whether or not the contract was
 * checked (`validate: false` turns off the contract, not JSON): NaN and ±Infinity, which JSON.stringify
 * sends as `null` without a word (in unknown fields too, which the contract lets through unexamined),
 * BigInts and cycles, with their JSON paths. Serialising first costs nothing (the text is what is sent):
 * a non-finite number can only hide where the text says `null`, so only then, or when JSON.stringify
 * throws, is the body walked to find it. `undefined` when it threw for another reason (a throwing
 * toJSON or getter), left to fail again where it is sent, before anything is.
 */
function serialise(operation: VoiceOperation, body: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    text = undefined;
  }
  if (text === undefined || text.includes('null')) {
    const json = unsendable(body, DEFAULT_MAX_FINDINGS);
    if (json.total > 0) throw new VoiceValidationError({ operation, findings: json.findings, total: json.total, reason: 'this body cannot be sent as JSON' });
  }
  return text;
}

function signerFrom(options: VoiceClientOptions): SignFunction {
  const { apiSecret, sign } = options as { apiSecret?: unknown; sign?: unknown };
  if (typeof sign === 'function') {
    if (apiSecret !== undefined) throw new TypeError('createVoiceClient: pass either apiSecret or sign, not both');
    return sign as SignFunction;
  }
  if (typeof apiSecret !== 'string' || apiSecret === '') {
    throw new TypeError('createVoiceClient: apiSecret must be a non-empty string (or pass a sign callback)');
  }
  return (key, timestamp) => computeSign(key, apiSecret, timestamp);
}

/**
 * Adds `Api-Key`, a fresh `Timestamp` and its `Sign` to every request, `raw` ones included, and notes the
 * request's operation, found by its schema path in the contract's operation table. A path the contract
 * does not have (possible only untyped) is refused: nothing is signed for it and nothing is sent.
 */
function signingMiddleware(
  apiKey: string,
  sign: SignFunction,
  now: () => number,
  clockOffsetSeconds: number,
  operationOfRequest: WeakMap<Request, OperationId>,
): Middleware {
  return {
    async onRequest({ request, schemaPath }) {
      const operation = operationAt(schemaPath);
      if (operation === undefined) {
        const known = Object.values(operationPaths).join(', ');
        throw new TypeError(`itnio-voice: ${JSON.stringify(schemaPath.slice(0, 200))} is not a path of the contract (${known}); nothing was signed or sent`);
      }
      const timestamp = String(unixSeconds(now(), clockOffsetSeconds));
      let signature: unknown;
      try {
        signature = await sign(apiKey, timestamp);
      } catch (error) {
        throw new VoiceSigningError({ operation, problem: 'the sign callback threw', cause: error });
      }
      if (typeof signature !== 'string' || signature === '') {
        throw new VoiceSigningError({ operation, problem: `the sign callback returned ${typeof signature} instead of a non-empty string` });
      }
      request.headers.set('Api-Key', apiKey);
      request.headers.set('Timestamp', timestamp);
      request.headers.set('Sign', signature);
      operationOfRequest.set(request, operation);
      return request;
    },
  };
}

/**
 * A malformed baseUrl is refused when the client is created, not on the first call (where it would read
 * like a network failure after which a task "may have been created"). The value is shown unless it
 * holds credentials.
 */
function checkBaseUrl(baseUrl: unknown): void {
  const wrong = (problem: string) => new TypeError(`createVoiceClient: baseUrl ${problem}; expected an absolute URL such as ${DEFAULT_BASE_URL}`);
  if (typeof baseUrl !== 'string') throw wrong(`must be a string (got ${typeof baseUrl})`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw wrong(`is not a valid absolute URL (${baseUrl.includes('@') ? 'value not shown' : JSON.stringify(baseUrl.slice(0, 200))})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw wrong(`must use https: or http: (got ${JSON.stringify(url.protocol)})`);
  if (url.username || url.password) throw wrong('must not hold a user name or password (fetch refuses them; the value is not shown)');
  if (url.search || url.hash) throw wrong(`must not have a query or fragment (got ${JSON.stringify(baseUrl.slice(0, 200))})`);
}


/**
 * Reads the vendor's envelope strictly, by the contract's response schema (generated/response-checks.ts):
 * success is `code` exactly `0` or `"0"`; any other `code` must be a ResponseCode (a whole number such as
 * -41 or "-41") to be the vendor's refusal. Everything else (`"0x0"`, `"+0"`, `"0.0"`, `" 0"`, a
 * fraction…) is a malformed answer, never success. On success, `data` is returned for the operation to
 * judge: a send's keyId is checked against the contract; an update's carries nothing and is ignored.
 */
function readEnvelope(operation: VoiceOperation, response: Response, text: string): unknown {
  const malformed = (problem: string) => new VoiceResponseError({ operation, problem, status: response.status, contentType: response.headers.get('content-type'), body: text });
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw malformed(text.trim() === '' ? 'empty response body' : 'response body is not JSON');
  }
  if (typeof envelope !== 'object' || envelope === null || !('code' in envelope)) throw malformed('response has no `code`');
  const { code, data } = envelope as { code: unknown; data?: unknown };
  if (code === 0 || code === '0') return data;
  // A string code is read as the number it writes, which must then be a code too (the int32 range).
  const isCode = responseChecks[operation].code;
  if (!isCode(code) || (typeof code === 'string' && !isCode(Number(code)))) {
    throw malformed(`response \`code\` is not an integer code such as -41 or "-41" (got ${shown(code)})`);
  }
  // The whole answer stays on the error: the vendor's msg and data, and a mock's detail and findings.
  throw new VoiceApiError({ operation, status: response.status, envelope: envelope as VoiceEnvelope });
}
