// Starts the mock on an ephemeral loopback port, and sends signed requests to it the way any HTTP
// client would.
import { request as httpRequest } from 'node:http';
import { signRequest } from '../../src/sign.js';
import { startMockServer, type MockServer, type MockServerOptions } from '../../mocks/index.js';
import { operationPaths } from '../support/contract.js';

export { operationPaths };
import { API_KEY, API_SECRET } from '../support/credentials.js';

export { API_KEY, API_SECRET } from '../support/credentials.js';
export { contractExamples } from '../support/contract.js';
/** The two operations' paths, from the contract (generated/operations.ts). */
export const SEND = operationPaths.sendAgentGroupCall;
export const UPDATE = operationPaths.updateRecallFlow;

export function startMock(options: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer({ port: 0, host: '127.0.0.1', ...options });
}

export function signed(timestampSeconds = Math.floor(Date.now() / 1000), key = API_KEY, secret = API_SECRET): Record<string, string> {
  return { ...signRequest(key, secret, timestampSeconds) };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when it is not JSON). */
  body: any;
}

/** POSTs `body` (serialized unless it is already a string) with fresh signing headers and JSON content type. */
export async function post(
  mock: MockServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  { sign = true }: { sign?: boolean } = {},
): Promise<Answer> {
  const response = await fetch(mock.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sign ? signed() : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return read(response);
}

export async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/**
 * Announces `announcedBytes` of body but sends only `sentBytes`, then waits for the answer: proves the
 * mock answers a too-large upload without waiting for (or buffering) all of it.
 */
export function postPartial(mock: MockServer, path: string, announced: { bytes?: number; chunked?: boolean }, sentBytes: number): Promise<Answer & { connectionHeader: string | undefined }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const url = new URL(mock.url + path);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signed(),
          ...(announced.bytes !== undefined ? { 'content-length': String(announced.bytes) } : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: new Headers(), text, body: JSON.parse(text), connectionHeader: res.headers.connection });
          req.destroy();
        });
      },
    );
    // The mock may close the connection while we still "upload"; only a missing answer is a failure.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    req.write(Buffer.alloc(sentBytes, 0x20));
  });
}
