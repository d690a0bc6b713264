// `npm start`: brings dist/ up to date (only the steps whose inputs changed; nothing when it is built)
// and runs the compiled mock in this same process, so stopping `npm start` stops the mock.
// Arguments go to the mock: `npm start -- --port 5000`.
import { build } from './build.mjs';

try {
  await build();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
await import('../dist/mocks/cli.js');
