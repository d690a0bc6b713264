// Whether what dist/ holds is what the sources give now: for a test that must run the package as it
// ships (compiled, reached through its exports) and must not pass on a dist/ left from older sources.
// dist/ is built by `npm test`'s pretest (`node scripts/build.mjs`); this only reads it.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { root } from '../support/contract.js';

const BUILD = 'run `node scripts/build.mjs` (npm test does it in pretest)';

let options: ts.CompilerOptions | undefined;
/** tsconfig.build.json's options, as the build compiles with them; the package is ESM ("type": "module"). */
function buildOptions(): ts.CompilerOptions {
  if (options) return options;
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error('tsconfig.build.json could not be read');
  options = { ...parsed.options, module: ts.ModuleKind.ESNext };
  return options;
}

/** What a dist/ file should hold now: its TypeScript source compiled, or the plain JavaScript copied as is. */
function expected(distFile: string): { source: string; text: string } | undefined {
  const path = relative('dist', distFile);
  const typescript = path.replace(/\.js$/, '.ts');
  if (existsSync(join(root, typescript))) {
    const text = ts.transpileModule(readFileSync(join(root, typescript), 'utf8'), { compilerOptions: buildOptions(), fileName: join(root, typescript) }).outputText;
    return { source: typescript, text };
  }
  if (existsSync(join(root, path))) return { source: path, text: readFileSync(join(root, path), 'utf8') };
  return undefined;
}

/**
 * Throws, saying what to run, unless `entry` (a path under dist/) exists. Called before bundling, so a
 * missing dist/ is reported as such rather than as a bundler's resolution error.
 */
export function requireBuilt(entry: string): void {
  if (!existsSync(join(root, entry))) throw new Error(`${entry} is missing: dist/ is not built; ${BUILD}`);
}

/**
 * The dist/ JavaScript files among `files` (paths relative to the repository) that differ from what their
 * sources give now, each with its source; empty when dist/ is fresh for them. Compared byte for byte with
 * the source compiled by tsconfig.build.json's options (as scripts/build.mjs compiles it) or copied.
 */
export function staleInDist(files: readonly string[]): string[] {
  const stale: string[] = [];
  for (const file of files) {
    if (!file.startsWith('dist/') || !file.endsWith('.js')) continue;
    const now = expected(file);
    if (!now) stale.push(`${file} (its source is gone)`);
    else if (readFileSync(join(root, file), 'utf8') !== now.text) stale.push(`${file} (not what ${now.source} gives now)`);
  }
  return stale;
}

/** The error for a stale dist/: which files, and what to run. */
export function staleError(stale: readonly string[]): Error {
  return new Error(`dist/ is stale: it differs from its sources in ${stale.length} file(s) the test runs: ${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}; ${BUILD}`);
}
