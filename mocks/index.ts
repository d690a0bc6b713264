// `itnio-voice/mock`: the mock for test suites. `startMockServer` serves it over HTTP on loopback (the
// same server `npx itnio-voice-mock` runs) and is its control handle too (journal, reset, state, faults);
// `createVoiceMock` is the transport-free engine behind it.
export { startMockServer, DEFAULT_DRAIN_MS, type MockServer, type MockServerOptions, type AnswerLog } from './http/server.js';
export {
  isLoopback,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  type ListenOptions,
  type Listening,
} from './http/limits.js';
export {
  createVoiceMock,
  MockState,
  MockControlError,
  type MockControlErrorRaw,
  DEFAULT_MAX_REQUESTS,
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_TIMESTAMP_WINDOW_SECONDS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_FINDINGS,
  DEFAULT_MAX_TASK_NAMES,
  type VoiceMock,
  type VoiceMockControl,
  type VoiceMockOptions,
  type Agent,
  type Fault,
  type QueuedFault,
  type JournalEntry,
  type MockStateBody,
  type Scenario,
  type VoiceMockOperation,
  type MockRequest,
  type MockAnswer,
  type AnswerReason,
  type BodyRead,
  type HeaderReader,
  type Envelope,
  type Md5,
} from './engine/index.js';
