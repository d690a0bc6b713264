// The contract against the vendor's own pages, row by row: nothing in the tables is left out.
// The pages' facts live in test/fixtures/vendor/ (written from the vendor's two API reference pages).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodeTable, intentLabels, operationCodes } from '../../generated/codes.js';
import { requestShapes, type ShapeNode } from '../../generated/request-shape.js';
import { bundledContract, intentScenarios, operationPaths, refName, root, vendorPage } from '../support/contract.js';

const { bundled } = bundledContract();
const schemas = bundled.components.schemas;
const send = vendorPage('sendAgentGroupCall');
const update = vendorPage('updateRecallFlow');

function allProperties(node: ShapeNode, into = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    into.add(name);
    allProperties(child, into);
  }
  if (node.items) allProperties(node.items, into);
  return into;
}

describe('every parameter row of the vendor tables is a field of the contract', () => {
  it.each([
    ['sendAgentGroupCall', send],
    ['updateRecallFlow', update],
  ] as const)('%s', (operation, page) => {
    const rows = page.parameters.map((row) => row.name);
    expect(rows.length).toBeGreaterThan(25);
    const known = allProperties(requestShapes[operation]);
    expect(rows.filter((name) => !known.has(name))).toEqual([]);
  });

  it('every callInformation key of the send page, with its textN variable', () => {
    const properties = schemas.CallInformation.properties;
    expect(send.callInformationKeys).toHaveLength(10);
    for (const { key, variable } of send.callInformationKeys) {
      expect(properties[key]?.['x-variable'], key).toBe(variable.toLowerCase());
    }
  });

  it('the update page marks keyId, recallInterval, recallNum, recallType required, and so does the contract', () => {
    const topLevel = ['keyId', 'recallInterval', 'recallNum', 'recallType'];
    const required = update.parameters.filter((row) => topLevel.includes(row.name) && row.required === 'Yes').map((row) => row.name);
    expect(required.sort()).toEqual([...topLevel].sort());
    expect(schemas.UpdateRecallFlowRequest.required).toEqual(expect.arrayContaining(required));
  });
});

describe('every status code of the vendor pages is in the shared enum, with a named example', () => {
  it.each([
    ['sendAgentGroupCall', send],
    ['updateRecallFlow', update],
  ] as const)('%s', (operation, page) => {
    const codes = page.statusCodes.map((row) => row.code);
    expect(codes.length).toBeGreaterThanOrEqual(6);
    expect(codes).toContain(-22);
    expect(schemas.ErrorCode.enum).toEqual(expect.arrayContaining(codes));
    expect(operationCodes[operation]).toEqual(expect.arrayContaining(codes));
    for (const code of codes) {
      const entry = errorCodeTable.find((e) => e.code === code)!;
      expect(entry.name, String(code)).toMatch(/^[a-z][A-Za-z]+$/);
      expect(entry.description, String(code)).toBeTruthy();
    }
  });

  it("the send page's wording of each code is the example's message", () => {
    for (const { code, description } of send.statusCodes.filter((row) => row.code !== 0)) {
      expect(errorCodeTable.find((e) => e.code === code)?.vendorMessage, String(code)).toBe(description);
    }
  });

  it('each operation description lists exactly the codes of its examples', () => {
    for (const [operation, path] of Object.entries(operationPaths) as [keyof typeof operationPaths, string][]) {
      const description: string = bundled.paths[path].post.description;
      const listed = description.match(/\(each is a named example below\): ([^.]+)\./)![1]!.match(/-?\d+/g)!.map(Number);
      expect([...listed].sort((a, b) => b - a)).toEqual([...operationCodes[operation]]);
    }
  });
});

describe('every intent table of the send page is a named enum with its labels', () => {
  it('five tables, five scenarios, in page order', () => expect(Object.keys(send.recallIntents)).toEqual([...intentScenarios]));

  it.each(intentScenarios)('%s', (scenario) => {
    const rows = Object.entries(send.recallIntents[scenario]);
    expect(rows.length).toBeGreaterThan(0);
    const labels: Record<string, string> = intentLabels[scenario];
    expect(Object.keys(labels).sort()).toEqual(rows.map(([code]) => code).sort());
    for (const [code, label] of rows) expect(labels[code], code).toBe(label);
  });

  it('recallIntent draws from all of them', () => {
    expect(schemas.RecallIntentCode.anyOf.map(refName)).toEqual([
      'GenericIntentCode',
      'DebtCollectionIntentCode',
      'DebtCollectionDetailedIntentCode',
      'MarketingIntentCode',
      'EmergencyContactRelayIntentCode',
    ]);
    expect(intentLabels.debtCollection['205']).toBe('Promise to pay: On time');
  });
});

describe('the repository stands alone', () => {
  // Every path a tracked file names that climbs with '..' is resolved from where it applies: an import
  // specifier, a YAML $ref or a path built on import.meta/__dirname from the file's own folder; anything
  // else (an fs call's relative path, join(root, …), a shell argument) from the repository root, where
  // npm scripts and the tests run. A path that ends above the root reads outside the repository.
  const UP = /^\.\.(?:\/|$)/;
  const quotedRun = /(['"`])([^'"`\n]*?)\1(?:\s*,\s*(['"`])[^'"`\n]*?\3)*/g;
  const bareToken = /(?<![\w.\/-])\.\.(?=\/|[\s'"`),]|$)(?:\/[^\s'"`),]*)?/g;
  const comment = /^\s*(?:\/\/|\/?\*|#)/;
  /** Lines that climb from a base this check cannot see (a temporary folder), each with why. */
  const allowed: [file: string, line: RegExp][] = [
    ['test/docs/samples.test.ts', /rmSync\(resolve\(tsxConfig, '\.\.'\)/], // the temporary tsx config's own folder
    ['test/docs/samples.test.ts', /\$ref: `\.\.\/code_samples\//], // a $ref written into spec/paths/, relative to it
  ];

  /** The paths in one line that climb, each with whether it is relative to the file (else to the root). */
  function climbs(line: string, code: boolean): { path: string; fromFile: boolean }[] {
    const found: { path: string; fromFile: boolean }[] = [];
    if (code) {
      for (const match of line.matchAll(quotedRun)) {
        // A run of literal arguments ('..', '..', 'shared') is one path; a template counts up to its first ${.
        const path = [...match[0].matchAll(/(['"`])([^'"`\n]*?)\1/g)].map((m) => m[2]!.split('${')[0]).join('/');
        if (!UP.test(posix.normalize(path))) continue;
        const before = line.slice(0, match.index);
        const after = line.slice(match.index! + match[0].length);
        const fromFile = /import\.meta|__dirname/.test(before) || /(?:\bfrom|\bimport|\bimport\(|\brequire\()\s*$/.test(before) || /^\s*,\s*import\.meta\.url/.test(after);
        found.push({ path, fromFile });
      }
    } else {
      for (const match of line.matchAll(bareToken)) found.push({ path: match[0], fromFile: false });
    }
    return found;
  }

  /** The climbing paths of the given files that end above the repository root, as "file:line: path". */
  function outside(files: Record<string, string>): string[] {
    const hits: string[] = [];
    for (const [file, text] of Object.entries(files)) {
      const code = /\.(?:[cm]?[jt]s|tsx?)$/.test(file);
      text.split('\n').forEach((line, index) => {
        if (comment.test(line) || allowed.some(([name, pattern]) => name === file && pattern.test(line))) return;
        for (const { path, fromFile } of climbs(line, code)) {
          const base = fromFile || /\.ya?ml$/.test(file) ? posix.dirname(file) : '.';
          if (UP.test(posix.normalize(posix.join(base, path)))) hits.push(`${file}:${index + 1}: ${path}`);
        }
      });
    }
    return hits;
  }

  it('finds a read outside the repository in every form it can take', () => {
    const up = '.'.repeat(2); // not written as a literal, or this file would match itself
    expect(
      outside({
        'test/a.test.ts': `readFileSync('${up}/shared/seeds/x.json')`,
        'test/b.test.ts': `join(root, '${up}', 'shared')`,
        'test/contract/c.test.ts': `resolve(import.meta.dirname, '${up}', '${up}', '${up}', 'shared')`,
        'test/contract/d.test.ts': `import seeds from '${up}/${up}/${up}/shared/seeds.json'`,
        'test/contract/e.test.ts': `new URL('${up}/${up}/${up}/x', import.meta.url)`,
        'scripts/f.mjs': `readdirSync(\`${up}/shared/\${name}\`)`,
        'spec/paths/g.yaml': `$ref: ${up}/${up}/${up}/shared/x.yaml`,
        'scripts/h.sh': `cat ${up}/shared/x`,
      }).map((hit) => hit.split(':')[0]),
    ).toEqual(['test/a.test.ts', 'test/b.test.ts', 'test/contract/c.test.ts', 'test/contract/d.test.ts', 'test/contract/e.test.ts', 'scripts/f.mjs', 'spec/paths/g.yaml', 'scripts/h.sh']);
    // …and lets a climb that stays inside pass.
    expect(
      outside({
        'test/contract/a.test.ts': `import x from '${up}/${up}/generated/codes.js'; const root = resolve(import.meta.dirname, '${up}', '${up}');`,
        'spec/paths/b.yaml': `$ref: ${up}/components/schemas/X.yaml`,
      }),
    ).toEqual([]);
  });

  it('no tracked file other than markdown reads a path outside the repository', () => {
    const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file && !/\.md$|^LICENSE$|^package-lock\.json$/.test(file) && existsSync(join(root, file)));
    const files = Object.fromEntries(tracked.map((file) => [file, readFileSync(join(root, file), 'utf8')]).filter(([, text]) => !text!.includes('\0')));
    expect(Object.keys(files).length).toBeGreaterThan(100);
    expect(outside(files)).toEqual([]);
  });
});
