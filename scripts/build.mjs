// Builds everything the package ships, skipping each step whose inputs have not changed since it last
// ran (their content hashes are kept in dist/.build-state.json). Plain JavaScript, so it starts fast
// and needs no TypeScript loader: `npm start` runs it before every start.
//
//   node scripts/build.mjs [step…]   steps: bundle, compile, docs (default: all, in order)
//
// generated/ is not rebuilt here: it is committed, `npm run generate` rewrites it from spec/, and a test
// fails when the two differ. Regenerating here would hide a stale commit from that test in CI.
//
// Third-party tools run with their output captured; it is printed only when a step fails.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stateFile = join(dist, '.build-state.json');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Every file under the given paths (files or folders), sorted, relative to the root. */
function filesOf(paths) {
  const found = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else found.push(relative(root, path));
  };
  for (const path of paths) walk(join(root, path));
  return found.sort();
}

function hashOf(paths) {
  const hash = createHash('sha256');
  for (const file of filesOf(paths)) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', NO_UPDATE_NOTIFIER: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`${relative(root, command)} ${args.join(' ')} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`);
  }
}

const steps = {
  // The contract in one file, bundled once; the YAML is the same document. And the control API's.
  bundle: {
    inputs: ['spec', 'redocly.yaml'],
    outputs: ['dist/openapi.json', 'dist/openapi.yaml', 'dist/mock-control.json'],
    make: async () => {
      run(bin('redocly'), ['bundle', 'spec/openapi.yaml', '-o', 'dist/openapi.json']);
      // The mock's own control API, served at /__mock/openapi.json.
      run(bin('redocly'), ['bundle', 'spec/mock-control/openapi.yaml', '-o', 'dist/mock-control.json']);
      const { stringify } = await import('yaml');
      writeFileSync(join(dist, 'openapi.yaml'), stringify(JSON.parse(readFileSync(join(dist, 'openapi.json'), 'utf8'))));
    },
  },
  // The SDK and the mock as JavaScript with declarations; the generated validators are plain
  // JavaScript already (each with its .d.ts) and ship byte for byte as the drift test compares them.
  compile: {
    inputs: ['src', 'mocks', 'generated', 'tsconfig.json', 'tsconfig.build.json'],
    outputs: ['dist/src/index.js', 'dist/mocks/index.js', 'dist/mocks/cli.js', 'dist/generated/validators.js'],
    make: () => {
      for (const dir of ['src', 'mocks', 'generated']) rmSync(join(dist, dir), { recursive: true, force: true });
      run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
      for (const file of readdirSync(join(root, 'generated'))) {
        if (file.endsWith('.js') || (file.endsWith('.d.ts') && existsSync(join(root, 'generated', file.replace(/\.d\.ts$/, '.js'))))) {
          copyFileSync(join(root, 'generated', file), join(dist, 'generated', file));
        }
      }
    },
  },
  // The Redoc pages, each one self-contained file (see scripts/docs-page.mjs, redocly.yaml and the
  // template): the API's, and the mock control API's at docs/mock/.
  docs: {
    inputs: ['dist/openapi.json', 'redocly.yaml', 'scripts/docs-template.hbs', 'scripts/docs-page.mjs', 'spec/mock-control'],
    outputs: ['dist/docs/index.html', 'dist/docs/mock/index.html'],
    make: async () => {
      const { buildDocs } = await import('./docs-page.mjs');
      buildDocs('dist/openapi.json', 'dist/docs');
    },
  },
};

/** Whether a step must run: an output is missing, or its inputs changed since it last ran. */
function isStale(name, state) {
  const step = steps[name];
  return !step.outputs.every((output) => existsSync(join(root, output))) || state[name] !== hashOf(step.inputs);
}

/** The named steps whose dist/ output is not what their inputs give now (what `build` would run). */
export function staleSteps(names) {
  const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
  return names.filter((name) => isStale(name, state));
}

/** Runs the named steps (all when none is named), each only if its inputs changed since it last ran. */
export async function build(wanted = []) {
  for (const name of wanted) if (!(name in steps)) throw new Error(`unknown build step ${name}; steps: ${Object.keys(steps).join(', ')}`);
  // A step's inputs may be another step's outputs (docs reads the bundle), so steps run in this order.
  const order = Object.keys(steps).filter((name) => wanted.length === 0 || wanted.includes(name) || (name === 'bundle' && wanted.includes('docs')));

  mkdirSync(dist, { recursive: true });
  const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
  for (const name of order) {
    const step = steps[name];
    if (!isStale(name, state)) continue;
    const started = performance.now();
    await step.make();
    state[name] = hashOf(step.inputs);
    writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');
    console.error(`build: ${name} (${Math.round(performance.now() - started)} ms)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await build(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
