// `itnio-voice/msw` in Node (Vitest, Jest, the Node side of Playwright): the mock as MSW 2 handlers for
// `setupServer` from msw/node, no port. It checks signatures by default, with Node's own MD5, as the
// HTTP mock does. Browsers get browser.ts instead (the package's `browser` export condition).
//
// msw is an optional peer dependency, loaded here once with a clear message when it is missing, so an
// install of itnio-voice without msw works and only this entry needs it. It is loaded with require(), not
// import(): synchronously, so this module has no top-level await and CommonJS can require() it (Node's
// require of an ES module refuses modules that await at the top). It is still msw's ES module build, the
// one `import 'msw'` and msw/node load: on the Node versions the package supports (engines), require()
// resolves msw's `module-sync` export, so the process holds one msw, never its CommonJS build beside the
// ES one (two copies of its classes and state: the dual-package hazard).
import { md5 } from '../../src/sign.js';
import { createRequire } from 'node:module';
import type * as Msw from 'msw';
import { DEFAULT_BASE_URL } from '../../src/base-url.js';
import { voiceHandlers, type Msw as MswUsed, type VoiceHandlers, type VoiceHandlersOptions } from './handlers.js';

export type { VoiceHandlers, VoiceHandlersOptions } from './handlers.js';
export { DEFAULT_API_KEY, DEFAULT_API_SECRET, MockControlError } from '../engine/index.js';
export type { Agent, Fault, JournalEntry, MockStateBody, QueuedFault, Scenario, VoiceMockControl } from '../engine/index.js';

const firstLine = (cause: unknown) => (cause instanceof Error ? cause.message.split('\n')[0]! : String(cause));

/** The message when msw cannot be found: what to install, and why it is not installed already. */
function mswMissing(cause: unknown): Error {
  return new Error(
    `itnio-voice/msw needs msw 2 (^2.10), an optional peer dependency of itnio-voice that is not installed here: run \`npm install --save-dev msw\`. (${firstLine(cause)})`,
    { cause },
  );
}

/** msw, as the user's own `import 'msw'` gets it, or an error saying what to do. */
function loadMsw(): MswUsed {
  if (!process.features.require_module) {
    // Without require(esm) (switched off by --no-experimental-require-module), require() would load msw's
    // CommonJS build: a second msw beside the one the suite imports.
    throw new Error('itnio-voice/msw loads msw with require() of its ES module build, which this Node has switched off (--no-experimental-require-module); run without that flag, on Node >=20.19 or >=22.12');
  }
  let loaded: Partial<typeof Msw>;
  try {
    loaded = createRequire(import.meta.url)('msw') as typeof Msw;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && firstLine(error).includes("'msw'");
    if (missing) throw mswMissing(error);
    throw new Error(`itnio-voice/msw could not load msw: ${firstLine(error)}`, { cause: error });
  }
  if (typeof loaded.http?.all !== 'function' || typeof loaded.HttpResponse?.error !== 'function') {
    throw new Error('itnio-voice/msw needs msw 2 (^2.10); the msw installed here has no `http.all` or `HttpResponse` (msw 1?): run `npm install --save-dev msw@^2.10`');
  }
  return { http: loaded.http, HttpResponse: loaded.HttpResponse };
}

const msw = loadMsw();

/**
 * The mock as MSW handlers for msw/node: `setupServer(...createVoiceHandlers())`. Takes the options of
 * `createVoiceMock` (auth, credentials, world, latency, limits…) and `baseUrl` (default the SDK's). The
 * array returned is also the control handle: `requests()`, `reset()`, `addFault()`, `setState()`…
 */
export function createVoiceHandlers(options: VoiceHandlersOptions = {}): VoiceHandlers {
  return voiceHandlers(msw, DEFAULT_BASE_URL, { md5, ...options });
}
