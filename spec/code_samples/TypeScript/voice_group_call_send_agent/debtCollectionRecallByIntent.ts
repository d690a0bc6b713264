// Sends the request example "Debt collection,
// recall by intent" (debtCollectionRecallByIntent).
// A debt-collection agent, callee values by
// business name, and a recall of callees who
// promised to pay late or could not be reached.

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
    taskName: `Collections 2026-11 batch 3 ${Date.now()}`,
    agentId: 63,
    sendTime: null,
    numberInfoList: [
      {
        calleeNumber: '919812345678',
        callInformation: {
          name: 'Asha',
          borrow_total_money: '12500',
          due_date: '2026-11-30',
          due_days: '3',
          platform: 'QuickLoan',
        },
      },
    ],
    recallFlow: {
      recallType: 3,
      recallInterval: 120,
      recallNum: 1,
      nodeList: [{ agentId: 63 }],
      recallIntent: ['206', '99999'],
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
