// Prism's engine for what it does well: turning a preference (`Prefer: example=<name>`) into the
// contract's response. Each named example is negotiated once at start-up and kept; only preferences
// that are not a plain known example reach Prism per request. Prism's own request validation and
// security checks stay off: the mock has its own (the SDK's validators, the real signature).
import { createInstance, getHttpOperationsFromSpec, type IHttpConfig, type IHttpOperationConfig } from '@stoplight/prism-http';
import type { IHttpOperation } from '@stoplight/types';
import type { ContractOperation, OpenApiDocument } from './contract.js';

/** The vendor's envelope. */
export interface Envelope {
  code: number | string;
  msg: string;
  data: unknown;
  [extra: string]: unknown;
}

/** The preferences Prism understands (`Prefer` header or `__example`/`__code`/`__dynamic` query). */
export interface Preferences {
  example?: string;
  code?: string;
  dynamic?: string;
}

export type Negotiated =
  | { ok: true; body: Envelope; example?: string }
  | { ok: false; message: string; available: string[] };

// Prism insists on a pino-style logger; the mock reports requests itself.
const silent = (): void => {};
const logger: any = { child: () => logger, trace: silent, debug: silent, info: silent, success: silent, warn: silent, error: silent, fatal: silent };

const config: IHttpConfig = {
  mock: { dynamic: false },
  validateRequest: false,
  validateResponse: false,
  checkSecurity: false,
  errors: false,
  upstreamProxy: undefined,
  isProxy: false,
};

export interface ExampleBook {
  /** The contract's example `name` of an operation's 200 response, as Prism negotiated it at start-up. */
  example(operationId: string, name: string): Envelope;
  /** Names of an operation's response examples. */
  names(operationId: string): string[];
  /** What the preferences select for this operation (cached for `example=`; other preferences ask Prism). */
  negotiate(operationId: string, preferences: Preferences): Promise<Negotiated>;
}

export async function prepareExamples(doc: OpenApiDocument, operations: ContractOperation[]): Promise<ExampleBook> {
  const resources = await getHttpOperationsFromSpec(doc);
  const prism = createInstance(config, { logger });
  const byId = new Map<string, IHttpOperation>(resources.map((r) => [r.iid ?? r.id, r]));

  async function ask(operationId: string, mock: Partial<IHttpOperationConfig>): Promise<Negotiated> {
    const resource = byId.get(operationId);
    if (!resource) return { ok: false, message: `Prism does not know the operation ${operationId}`, available: [] };
    const result = await prism.request(
      { method: resource.method as 'post', url: { path: resource.path }, headers: { 'content-type': 'application/json' }, body: {} },
      resources,
      { ...config, mock: { dynamic: false, ...mock } },
    )();
    if (result._tag === 'Left') {
      const error = result.left as Error & { detail?: string };
      return { ok: false, message: error.detail ?? error.message, available: cache.get(operationId) ? [...cache.get(operationId)!.keys()] : [] };
    }
    return { ok: true, body: result.right.output.body as Envelope, example: mock.exampleKey };
  }

  const cache = new Map<string, Map<string, Envelope>>();
  for (const operation of operations) {
    const examples = new Map<string, Envelope>();
    for (const name of operation.responseExampleNames) {
      const answer = await ask(operation.operationId, { exampleKey: name });
      if (!answer.ok) throw new Error(`Prism could not produce example ${name} of ${operation.operationId}: ${answer.message}`);
      examples.set(name, Object.freeze(answer.body));
    }
    cache.set(operation.operationId, examples);
  }

  return {
    example(operationId, name) {
      const body = cache.get(operationId)?.get(name);
      if (!body) throw new Error(`the contract has no example ${name} for ${operationId}`);
      return body;
    },
    names: (operationId) => [...(cache.get(operationId)?.keys() ?? [])],
    async negotiate(operationId, preferences) {
      const { example, code, dynamic } = preferences;
      if (example !== undefined && code === undefined && dynamic === undefined) {
        const body = cache.get(operationId)?.get(example);
        if (body) return { ok: true, body, example };
      }
      const mock: Partial<IHttpOperationConfig> = {};
      if (example !== undefined) mock.exampleKey = example;
      if (code !== undefined) {
        if (!/^\d{3}$/.test(code)) return { ok: false, message: `Prefer code must be an HTTP status, not ${code}`, available: [] };
        mock.code = Number(code);
      }
      if (dynamic !== undefined) mock.dynamic = dynamic === 'true';
      const answer = await ask(operationId, mock);
      return answer.ok ? answer : { ...answer, available: [...(cache.get(operationId)?.keys() ?? [])] };
    },
  };
}

/**
 * Reads Prism's preferences from a `Prefer` header (`example=taskNameExists`, tokens separated by `,`
 * or `;`, values optionally quoted) or, without one, from Prism's `__example`-style query parameters.
 */
export function readPreferences(header: string | undefined, query: URLSearchParams): Preferences | undefined {
  const preferences: Preferences = {};
  if (header) {
    for (const token of header.split(/[,;]/)) {
      const match = /^\s*([A-Za-z]+)\s*=\s*"?([^"]*)"?\s*$/.exec(token);
      if (!match) continue;
      const key = match[1]!.toLowerCase();
      if (key === 'example' || key === 'code' || key === 'dynamic') preferences[key] = match[2]!;
    }
  } else {
    for (const key of ['example', 'code', 'dynamic'] as const) {
      const value = query.get(`__${key}`);
      if (value !== null) preferences[key] = value;
    }
  }
  return Object.keys(preferences).length ? preferences : undefined;
}
