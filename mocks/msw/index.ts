// `itnio-voice/msw` in Node (Vitest, Jest, the Node side of Playwright): the mock as MSW 2 handlers for
// `setupServer` from msw/node, no port. It checks signatures by default, with Node's own MD5, as the
// HTTP mock does. Browsers get browser.ts instead (the package's `browser` export condition).
//
// msw is an optional peer dependency, loaded here once with a clear message when it is missing, so an
// install of itnio-voice without msw works and only this entry needs it.
import { createHash } from 'node:crypto';
import type { HttpResponse, http } from 'msw';
import { DEFAULT_BASE_URL } from '../../src/client.js';
import { voiceHandlers, type VoiceHandlers, type VoiceHandlersOptions } from './handlers.js';

export type { VoiceHandlers, VoiceHandlersOptions } from './handlers.js';
export { DEFAULT_API_KEY, DEFAULT_API_SECRET, MockControlError } from '../engine/index.js';
export type { Agent, Fault, JournalEntry, MockStateBody, QueuedFault, Scenario, VoiceMockControl } from '../engine/index.js';

/** The message when msw cannot be loaded: what to install, and why it is not installed already. */
function mswMissing(cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
  return new Error(
    `itnio-voice/msw needs msw 2 (^2.10), an optional peer dependency of itnio-voice that is not installed here: run \`npm install --save-dev msw\`. (${detail})`,
    { cause },
  );
}

const msw: { http: typeof http; HttpResponse: typeof HttpResponse } = await import('msw').then(
  (loaded) => {
    if (typeof loaded.http?.all !== 'function' || typeof loaded.HttpResponse?.error !== 'function') {
      throw new Error('itnio-voice/msw needs msw 2 (^2.10); the msw installed here has no `http.all` or `HttpResponse` (msw 1?): run `npm install --save-dev msw@^2.10`');
    }
    return { http: loaded.http, HttpResponse: loaded.HttpResponse };
  },
  (error: unknown) => {
    throw mswMissing(error);
  },
);

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * The mock as MSW handlers for msw/node: `setupServer(...createVoiceHandlers())`. Takes the options of
 * `createVoiceMock` (auth, credentials, world, latency, limits…) and `baseUrl` (default the SDK's). The
 * array returned is also the control handle: `requests()`, `reset()`, `addFault()`, `setState()`…
 */
export function createVoiceHandlers(options: VoiceHandlersOptions = {}): VoiceHandlers {
  return voiceHandlers(msw, DEFAULT_BASE_URL, { md5, ...options });
}
