// Sends the request example "The vendor's own
// example" (vendorExample).
// The request on the vendor's reference page,
// unchanged: string agentIds in the recall nodes
// and an undocumented top-level calloutRate.

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
    taskName: `I want to test Agent API-16 ${Date.now()}`,
    displayNum: '1008122211',
    maxCalls: 300,
    maxRingingTime: 60,
    agentId: 41,
    enableRecording: 1,
    calloutRate: 1,
    allowSendTime: [
      { strTime: '18:28', endTime: '19:28' },
    ],
    numberInfoList: [
      {
        calleeNumber: '463200000007',
        callInformation: {
          name: 'Name',
          borrow_total_money: '5000',
          due_date: '2026-02-02',
        },
      },
    ],
    recallFlow: {
      recallType: 3,
      recallInterval: 1,
      recallNum: 5,
      nodeList: [
        { agentId: '41' },
        { agentId: '41' },
        { agentId: '41' },
        { agentId: '41' },
        { agentId: '41' },
      ],
      recallIntent: ['99998', '99999'],
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
