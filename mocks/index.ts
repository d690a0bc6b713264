// `itnio-voice/mock`: the mock for test suites. `startMockServer` serves it over HTTP on loopback (the
// same server `npx itnio-voice-mock` runs); `createVoiceMock` is the transport-free engine behind it.
export {
  startMockServer,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_DRAIN_MS,
  type MockServer,
  type MockServerOptions,
  type AnswerLog,
} from './http/server.js';
export {
  createVoiceMock,
  MockState,
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_TIMESTAMP_WINDOW_SECONDS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_FINDINGS,
  DEFAULT_MAX_TASK_NAMES,
  type VoiceMock,
  type VoiceMockOptions,
  type VoiceMockOperation,
  type MockRequest,
  type MockAnswer,
  type AnswerReason,
  type BodyRead,
  type HeaderReader,
  type Envelope,
  type Md5,
} from './engine/index.js';
