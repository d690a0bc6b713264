// How a typed call reaches `fetch` when nobody but the SDK looks at its request.
//
// openapi-fetch builds a WHATWG `Request` for every call, and `fetch(request)` then copies it into
// another one; undici pipes a copied body through a TransformStream. On loopback that is about 0.1 ms
// a call, nearly half a tiny call's round trip. openapi-fetch lets a call bring its own `Request` class
// and `fetch`: this pair keeps the URL and init openapi-fetch computed and hands them to
// `fetch(url, init)` once, so what goes on the wire is byte for byte the same.
//
// Caller middleware (`voice.raw.use`) is promised a real `Request` (it may read the body, clone it or
// return `new Request(...)`), so the client uses this pair only while none is registered, and never
// with a caller's own `fetch`, whose signature takes a `Request`.
//
// This relies on openapi-fetch honouring a call's own `Request` and `fetch` options. Should a future
// version ignore either, the call fails loudly with a FastPathError before anything is sent, rather than
// sending something else (test/sdk/plain-request.test.ts holds openapi-fetch to it, and shows the failure).

/** openapi-fetch did not honour a call's own `Request` or `fetch` option: a bug to report, not a network failure. */
export class FastPathError extends Error {
  override name = 'FastPathError';
  constructor(option: 'Request' | 'fetch') {
    super(
      `itnio-voice: openapi-fetch ignored the call's own \`${option}\` option, on which typed calls rely (src/plain-request.ts); ` +
        'nothing was sent. Pin openapi-fetch to a version that honours it, or register any middleware on voice.raw to use the Request path.',
    );
  }
}

/** The URL and `RequestInit` openapi-fetch computed, with the fields the SDK's own middleware uses. */
export class PlainRequest {
  readonly url: string;
  readonly method: string;
  /** The same `Headers` object sent on the wire, so the signing middleware can set on it. */
  readonly headers: Headers;
  readonly init: RequestInit & { headers: Headers };

  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? 'GET';
    // openapi-fetch passes a fresh Headers per call; anything else is copied so mutation stays local.
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.init = { ...init, headers: this.headers };
  }
}

/** openapi-fetch's per-call `fetch` for a `PlainRequest`: one `fetch(url, init)`. */
export function sendPlainRequest(request: PlainRequest): Promise<Response> {
  // A real Request here means openapi-fetch built its own instead of ours: its init is not ours to send.
  if (!(request instanceof PlainRequest)) return Promise.reject(new FastPathError('Request'));
  // Looked up per call, like a bare fetch, so tools that patch globalThis.fetch later still see it.
  return globalThis.fetch(request.url, request.init);
}

/** The per-call options that route an openapi-fetch call through `PlainRequest`. */
export const plainTransport = {
  Request: PlainRequest as unknown as typeof Request,
  fetch: sendPlainRequest as unknown as (request: Request) => Promise<Response>,
};
