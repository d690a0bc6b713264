// Whether dist/ holds what the sources give now, for a test that must run the package as it ships
// (compiled, reached through its exports) and must not pass on a dist/ left from older sources. dist/ is
// built by `npm test`'s pretest (`node scripts/build.mjs`); this only asks the build what it would redo.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { staleSteps } from '../../scripts/build.mjs';
import { root } from '../support/contract.js';

const BUILD = 'run `node scripts/build.mjs` (npm test does it in pretest)';

/**
 * Throws, saying what to run, unless `entry` (a path under dist/) exists and the compiled code in dist/ is
 * what the sources give now (the build's own record of its inputs, dist/.build-state.json).
 */
export function requireBuilt(entry: string): void {
  if (!existsSync(join(root, entry))) throw new Error(`${entry} is missing: dist/ is not built; ${BUILD}`);
  if (staleSteps(['compile']).length > 0) throw new Error(`dist/ is stale: src/, mocks/ or generated/ changed since it was compiled; ${BUILD}`);
}
