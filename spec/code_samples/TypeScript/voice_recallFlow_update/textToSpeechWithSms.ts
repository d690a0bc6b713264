// Sends the request example "Text-to-speech with a
// hang-up SMS" (textToSpeechWithSms).
// Two attempts spoken by text-to-speech; after
// hang-up an SMS goes out when the callee presses 1
// and 60 seconds after a successful call.

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
    recallType: 1,
    recallInterval: 60,
    recallNum: 2,
    nodeList: [
      {
        source: 3,
        text: 'Hello, this is a reminder that your parcel is waiting.',
        lan: 'EN',
        speakingRate: 1,
        ssmlGender: 2,
        hangUpSms: 1,
        smsContent: 'Pick up your parcel with code ${text1}.',
        senderId: 'PARCEL',
        feedbackPush: 1,
        feedbackValue: '1',
        successPush: 1,
        successPushTime: 60,
        failedPush: 0,
        ringPush: 0,
        toSeat: 0,
      },
      {
        source: 3,
        text: 'Second reminder: your parcel is waiting.',
        lan: 'EN',
        hangUpSms: 1,
        smsContent: 'Your parcel is waiting.',
        failedPush: 1,
        toSeat: 0,
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
