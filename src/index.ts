// The public surface of itnio-voice. Everything about the API itself comes from generated/ (the contract).
export {
  createVoiceClient,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type CallOptions,
  type SignFunction,
  type VoiceClient,
  type VoiceClientOptions,
  type VoiceOperations,
} from './client.js';
export {
  VoiceError,
  VoiceApiError,
  VoiceHttpError,
  VoiceResponseError,
  VoiceResponseTooLargeError,
  VoiceTimeoutError,
  VoiceAbortError,
  VoiceNetworkError,
  VoiceSigningError,
  VoiceValidationError,
  type VoiceOperation,
  type VoiceEnvelope,
  type VoiceErrorRaw,
  type VoiceApiErrorRaw,
  type VoiceHttpErrorRaw,
  type VoiceResponseErrorRaw,
  type VoiceResponseTooLargeErrorRaw,
  type VoiceTimeoutErrorRaw,
  type VoiceNetworkErrorRaw,
  type VoiceSigningErrorRaw,
  type VoiceValidationErrorRaw,
} from './errors.js';
export { computeSign, signRequest, verifySign, unixSeconds, type SignedHeaders, type VerifySignInput } from './sign.js';
export {
  collectWarnings,
  MAX_WARNINGS,
  type VoiceWarning,
  type VoiceWarningKind,
  type VoiceRequestWarning,
  type VoiceDriftWarning,
} from './warnings.js';
export {
  validateRequest,
  DEFAULT_MAX_FINDINGS,
  MAX_COUNTED_FINDINGS,
  formatFinding,
  type OperationId,
  type ValidationFinding,
  type ValidationResult,
  type ValidateOptions,
} from './validation.js';
export { SDK_VERSION } from './version.js';
export {
  errorCodeTable,
  operationCodes,
  intentLabels,
  type ErrorCodeInfo,
  type ErrorCodeName,
  type VendorCode,
  type IntentScenario,
} from '../generated/codes.js';
export type * from '../generated/openapi.js';
