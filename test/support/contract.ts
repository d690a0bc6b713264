// Reads the contract as users get it: bundled by Redocly, exactly as `npm run bundle` does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');
export const seedsDir = resolve(root, '..', 'shared', 'seeds');

let cached: { bundled: any; dereferenced: any } | undefined;

export function bundledContract(): { bundled: any; dereferenced: any } {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'itnio-contract-'));
  const redocly = join(root, 'node_modules', '.bin', 'redocly');
  const bundle = (name: string, extra: string[]) => {
    execFileSync(redocly, ['bundle', 'spec/openapi.yaml', '-o', join(dir, name), ...extra], { cwd: root, stdio: 'pipe' });
    return JSON.parse(readFileSync(join(dir, name), 'utf8'));
  };
  cached = { bundled: bundle('openapi.json', []), dereferenced: bundle('deref.json', ['--dereferenced']) };
  return cached;
}

export { operationPaths } from '../../generated/operations.js';

/** The request body of a seed page's example, parsed from the vendor's text as it stands. */
export function seedRequest(file: string): unknown {
  const text = readFileSync(join(seedsDir, file), 'utf8');
  const start = text.indexOf('{', text.indexOf('Request Body:'));
  return JSON.parse(balancedJson(text, start));
}

/** The response example of a seed page (the JSON object after the response table). */
export function seedResponse(file: string): unknown {
  const text = readFileSync(join(seedsDir, file), 'utf8');
  const table = text.indexOf('| code |', text.indexOf('Request Body:'));
  const start = text.indexOf('{', table === -1 ? text.lastIndexOf('| data |') : text.indexOf('| data |', text.indexOf('Request Body:')));
  return JSON.parse(balancedJson(text, start));
}

function balancedJson(text: string, start: number): string {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced JSON in seed');
}

/** The rows of every markdown table of a seed page, as arrays of trimmed cells. */
export function seedTables(file: string): string[][][] {
  // A table starts at the row above a `|---|` separator; flattened tables follow each other directly.
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  let previous: string[] | undefined;
  for (const line of readFileSync(join(seedsDir, file), 'utf8').split('\n')) {
    if (!line.startsWith('|')) {
      // A few rows wrap across lines (the push-flag rows); their continuation lines belong to the table.
      if (current && /^(ringPush\)|Int \|)/.test(line)) continue;
      current = undefined;
      previous = undefined;
      continue;
    }
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length && cells.every((c) => /^-+$/.test(c))) {
      if (current && previous) current.pop();
      tables.push((current = previous ? [previous] : []));
      continue;
    }
    current?.push(cells);
    previous = cells;
  }
  return tables;
}

export const SEND_SEED = '003_3a27596395ad9a4f.txt';
export const UPDATE_SEED = '000_654521e512ffc34b.txt';
