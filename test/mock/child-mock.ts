// The mock in a process of its own, for tests that measure what it holds (its RSS, its file
// descriptors) while a client misbehaves. Options come as JSON in ITNIO_TEST_MOCK_OPTIONS; it prints
// "listening on <url>" once it serves.
import { startMockServer, type MockServerOptions } from '../../mocks/index.js';

const options = JSON.parse(process.env.ITNIO_TEST_MOCK_OPTIONS ?? '{}') as MockServerOptions;
const mock = await startMockServer({ port: 0, host: '127.0.0.1', ...options });
console.log(`listening on ${mock.url}`);
process.on('SIGTERM', () => void mock.close().then(() => process.exit(0)));
