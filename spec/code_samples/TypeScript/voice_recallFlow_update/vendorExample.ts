// Sends the request example "The vendor's own
// example" (vendorExample).
// The request on the vendor's reference page,
// unchanged, nulls and undocumented fields
// included: an uploaded voice file, no SMS,
// transfer to agent group 1000038 after the call.

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
    recallInterval: 30,
    recallNum: 1,
    nodeList: [
      {
        voiceFileId: '120250811103439c1901f4c53b691b419ad8a143b.wav',
        voiceFileName: null,
        source: 1,
        text: null,
        lan: null,
        speakingRate: null,
        hangUpSms: 0,
        idxSmsAppId: null,
        smsContent: null,
        senderId: null,
        feedbackValue: null,
        feedbackPush: null,
        successPush: null,
        successPushTime: null,
        failedPush: null,
        ringPush: null,
        toSeat: 1,
        sipGroupId: 1000038,
        outboundControl: 1,
        calloutRate: 1,
        toSeatType: 1,
        toSeatKey: null,
        delayTransfer: 0,
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
