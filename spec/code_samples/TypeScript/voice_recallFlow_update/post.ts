import { createVoiceClient, VoiceApiError } from 'itnio-voice';

// The local mock (npm start) with the vendor's test credentials. For production leave out baseUrl
// and pass your own key and secret, on a server only: whoever holds the secret can sign as you.
const voice = createVoiceClient({
  apiKey: process.env.ITNIO_API_KEY ?? 'bDqJFiq9',
  apiSecret: process.env.ITNIO_API_SECRET ?? '7bz1lzh9',
  baseUrl: process.env.ITNIO_BASE_URL ?? 'http://127.0.0.1:4010',
});

try {
  // Replaces the whole flow of task 299 (the vendor's example task, known to the mock).
  await voice.updateRecallFlow({
    keyId: 299,
    recallType: 1,
    recallInterval: 60,
    recallNum: 1,
    nodeList: [
      {
        source: 3, // text-to-speech: needs text and lan
        text: 'Hello, this is a reminder that your parcel is waiting.',
        lan: 'EN',
        hangUpSms: 1, // SMS after hang-up: needs smsContent and at least one trigger
        smsContent: 'Your parcel is waiting.',
        failedPush: 1, // trigger: the call failed
        toSeat: 0, // no transfer to a human agent
      },
    ],
  });
  console.log('recall flow replaced');
} catch (error) {
  if (error instanceof VoiceApiError) console.error(`refused: ${error.code} ${error.codeName ?? ''} ${error.msg ?? ''}`);
  throw error;
}
