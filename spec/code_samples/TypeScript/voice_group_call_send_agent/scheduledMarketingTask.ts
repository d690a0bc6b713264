// Sends the request example "Scheduled, with script
// variables and calling windows"
// (scheduledMarketingTask).
// Starts at a set time, calls only in two daily
// windows, fills ${text1}/${text2} per callee and
// recalls failed calls twice, 30 minutes apart.

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
    taskName: `Loyalty offer November ${Date.now()}`,
    displayNum: '',
    agentId: 57,
    sendTime: '2026-12-01 09:00:00',
    maxCalls: 180,
    maxRingingTime: 45,
    enableRecording: 0,
    allowSendTime: [
      { strTime: '09:00', endTime: '12:00' },
      { strTime: '14:00', endTime: '18:30' },
    ],
    numberInfoList: [
      {
        calleeNumber: '66812345678',
        text1: 'Somchai',
        text2: 'Gold',
      },
      {
        calleeNumber: '66812345679',
        text1: 'Suda',
        text2: 'Silver',
      },
    ],
    recallFlow: {
      recallType: 1,
      recallInterval: 30,
      recallNum: 2,
      nodeList: [{ agentId: 57 }, { agentId: 57 }],
    },
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
