// Sends the request example "Call now, no recall"
// (minimalTask).
// Only the required fields: the task starts at once
// with default call and ringing limits.

import {
  createVoiceClient,
  VoiceApiError,
} from 'itnio-voice';

// The local mock (npm start) and the vendor's test
// credentials. In production, leave out baseUrl and
// use your own key and secret, on a server only:
// whoever holds the secret can sign as you.
const voice = createVoiceClient({
  apiKey: process.env.ITNIO_API_KEY ?? 'bDqJFiq9',
  apiSecret:
    process.env.ITNIO_API_SECRET ?? '7bz1lzh9',
  baseUrl:
    process.env.ITNIO_BASE_URL ??
    'http://127.0.0.1:4010',
});

try {
  // The SDK signs the request and checks the body
  // against the contract before sending it.
  // taskName gets the time as a suffix: a name
  // used before is refused with -41.
  const keyId = await voice.sendAgentGroupCall({
    appId: '2Xql9RBI',
    taskName: `Spring campaign ${Date.now()}`,
    agentId: 41,
    numberInfoList: [
      { calleeNumber: '6281234567890' },
      { calleeNumber: '6281234567891' },
    ],
  });
  console.log(`task created: keyId ${keyId}`);
} catch (error) {
  // Refusals arrive as HTTP 200 with a negative
  // code; the SDK throws them as VoiceApiError.
  if (error instanceof VoiceApiError) {
    console.error('refused', error.code, error.msg);
  }
  throw error;
}
