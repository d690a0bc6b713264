// How the HTTP adapter writes an answer: one writeHead with every header (CORS included), then the body.
import type { IncomingMessage, ServerResponse } from 'node:http';

const CORS_ALLOWED_HEADERS = 'Content-Type, Api-Key, Timestamp, Sign, Prefer';

/**
 * CORS for every answer: no cookies are involved, so any origin may call; a browser app on another port
 * is the point. Passed to writeHead with the rest, so an answer sets no header one by one.
 */
export const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Preference-Applied' };

export function send(response: ServerResponse, status: number, body: string | Buffer, type = 'application/json; charset=utf-8', extra?: Record<string, string>): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...CORS, ...extra });
  response.end(body);
}

export const sendJson = (response: ServerResponse, status: number, body: unknown, extra?: Record<string, string>) => send(response, status, JSON.stringify(body), undefined, extra);

export function preflight(request: IncomingMessage, response: ServerResponse, allow: string): void {
  response.writeHead(204, {
    ...CORS,
    Allow: allow,
    'Access-Control-Allow-Methods': 'POST, GET, HEAD, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? CORS_ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  response.end();
}
