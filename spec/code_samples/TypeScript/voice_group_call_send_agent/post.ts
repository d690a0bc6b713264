import { createVoiceClient, VoiceApiError } from 'itnio-voice';

// The local mock (npm start) with the vendor's test credentials. For production leave out baseUrl
// and pass your own key and secret, on a server only: whoever holds the secret can sign as you.
const voice = createVoiceClient({
  apiKey: process.env.ITNIO_API_KEY ?? 'bDqJFiq9',
  apiSecret: process.env.ITNIO_API_SECRET ?? '7bz1lzh9',
  baseUrl: process.env.ITNIO_BASE_URL ?? 'http://127.0.0.1:4010',
});

try {
  // The SDK signs the request and checks the body against the contract before sending it.
  const keyId = await voice.sendAgentGroupCall({
    appId: '2Xql9RBI',
    // Must be unique; resending the same name after a timeout is safe (a duplicate is refused with -41).
    taskName: `Spring campaign ${new Date().toISOString()}`,
    agentId: 41,
    numberInfoList: [{ calleeNumber: '6281234567890' }, { calleeNumber: '6281234567891' }],
  });
  console.log(`task created: keyId ${keyId}`);
} catch (error) {
  // Refusals arrive as HTTP 200 with a negative code; the SDK turns them into VoiceApiError.
  if (error instanceof VoiceApiError) console.error(`refused: ${error.code} ${error.codeName ?? ''} ${error.msg ?? ''}`);
  throw error;
}
