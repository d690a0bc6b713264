// The contract against the vendor's own pages, row by row: nothing in the tables is left out.
// The pages' facts live in test/fixtures/vendor/ (written from the vendor's two API reference pages).
import { execFileSync } from 'node:child_process';
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
  it('no tracked file other than markdown reads the folder beside the repository', () => {
    // Patterns are regexes so that this file does not match itself: a relative path up into the sibling folder,
    // or path segments '..' then 'shared' as path.join/resolve arguments.
    const patterns = ['\\.\\./shared', `['"]\\.\\.['"],\\s*['"]shared['"]`];
    const args = ['grep', '-n', '-I', '-E', ...patterns.flatMap((p) => ['-e', p]), '--', '.', ':(exclude)*.md'];
    let hits = '';
    try {
      hits = execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    } catch (error: any) {
      if (error.status !== 1) throw error; // git grep exits 1 when nothing matches
    }
    expect(hits).toBe('');
  });
});
