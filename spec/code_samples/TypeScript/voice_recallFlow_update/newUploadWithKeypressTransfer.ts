// Sends the request example "New voice file,
// transfer on keypress"
// (newUploadWithKeypressTransfer).
// Uploads a new voice file (Base64) and transfers
// callees who press 0 to agent group 1000038 after
// a 2-second delay.

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
  // keyId 299 is the vendor's example task, known
  // to the mock; use the keyId your send returned.
  await voice.updateRecallFlow({
    keyId: 299,
    recallType: 0,
    recallInterval: 1440,
    recallNum: 1,
    nodeList: [
      {
        source: 2,
        uploadName: 'offer.wav',
        baseFile: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=',
        hangUpSms: 0,
        toSeat: 1,
        sipGroupId: 1000038,
        outboundControl: 1,
        calloutRate: 3,
        toSeatType: 2,
        toSeatKey: '0',
        delayTransfer: 2,
      },
    ],
  });
  console.log('recall flow replaced');
} catch (error) {
  // Refusals arrive as HTTP 200 with a negative
  // code; the SDK throws them as VoiceApiError.
  if (error instanceof VoiceApiError) {
    console.error('refused', error.code, error.msg);
  }
  throw error;
}
