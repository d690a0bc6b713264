// `itnio-voice/msw` in a browser (the package's `browser` export condition: Vite, webpack, esbuild for
// the browser, Storybook): the mock as MSW 2 handlers for `setupWorker` from msw/browser.
//
// Auth is off unless an `md5` is given: a browser has no MD5 (Web Crypto has none) and must never hold an
// API secret, so a browser app has nothing to sign with; the check belongs to the backend that signs.
// Teams that want it anyway (a page signing with the vendor's public test pair) pass `md5` from a library
// of their choice, and auth is then on. msw is imported statically: a bundler that cannot find it says so
// when it builds, and no top-level await reaches build targets that lack it.
import { HttpResponse, http } from 'msw';
import { DEFAULT_BASE_URL } from '../../src/base-url.js';
import { voiceHandlers, type VoiceHandlers, type VoiceHandlersOptions } from './handlers.js';

export type { VoiceHandlers, VoiceHandlersOptions } from './handlers.js';
export { DEFAULT_API_KEY, DEFAULT_API_SECRET, MockControlError } from '../engine/index.js';
export type { Agent, Fault, JournalEntry, MockStateBody, QueuedFault, Scenario, VoiceMockControl } from '../engine/index.js';

/**
 * The mock as MSW handlers for msw/browser: `setupWorker(...createVoiceHandlers())`. Auth is off unless
 * `md5` is given (see above); otherwise the options and the control handle are those of the Node entry.
 */
export function createVoiceHandlers(options: VoiceHandlersOptions = {}): VoiceHandlers {
  const auth = options.auth ?? (options.md5 ? 'on' : 'off');
  if (auth === 'on' && typeof options.md5 !== 'function') {
    throw new TypeError('createVoiceHandlers: in a browser, auth "on" needs an md5 function (browsers have none); leave auth off, or pass md5 from a library');
  }
  return voiceHandlers({ http, HttpResponse }, DEFAULT_BASE_URL, { ...options, auth });
}
