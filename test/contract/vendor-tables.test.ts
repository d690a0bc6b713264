// The contract against the vendor's own pages, row by row: nothing in the tables is left out.
import { describe, expect, it } from 'vitest';
import { errorCodeTable, intentLabels, operationCodes } from '../../generated/codes.js';
import { requestShapes, type ShapeNode } from '../../generated/request-shape.js';
import { bundledContract, operationPaths, SEND_SEED, seedTables, UPDATE_SEED } from '../support/contract.js';

const { bundled } = bundledContract();
const schemas = bundled.components.schemas;

function allProperties(node: ShapeNode, into = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    into.add(name);
    allProperties(child, into);
  }
  if (node.items) allProperties(node.items, into);
  return into;
}

const parameterRows = (file: string) => seedTables(file)[0]!.slice(1).map((row) => row[0]!);

describe('every parameter row of the vendor tables is a field of the contract', () => {
  it.each([
    ['sendAgentGroupCall', SEND_SEED],
    ['updateRecallFlow', UPDATE_SEED],
  ] as const)('%s', (operation, file) => {
    const rows = parameterRows(file);
    expect(rows.length).toBeGreaterThan(25);
    const known = allProperties(requestShapes[operation]);
    expect(rows.filter((name) => !known.has(name))).toEqual([]);
  });

  it('every callInformation key of the send page, with its textN variable', () => {
    const keyTable = seedTables(SEND_SEED)[1]!.slice(1);
    const properties = schemas.CallInformation.properties;
    expect(keyTable).toHaveLength(10);
    for (const [key, variable] of keyTable) {
      expect(properties[key!]?.['x-variable'], key).toBe(variable!.toLowerCase());
    }
  });

  it('the update page marks keyId, recallInterval, recallNum, recallType required, and so does the contract', () => {
    const required = seedTables(UPDATE_SEED)[0]!.slice(1, 5).filter((row) => row[2] === 'Yes').map((row) => row[0]);
    expect(schemas.UpdateRecallFlowRequest.required).toEqual(expect.arrayContaining(required));
  });
});

describe('every status code of the vendor pages is in the shared enum, with a named example', () => {
  const codeRows = (file: string) => seedTables(file).find((t) => t.some((r) => r[0] === '-22'))!;

  it.each([
    ['sendAgentGroupCall', SEND_SEED],
    ['updateRecallFlow', UPDATE_SEED],
  ] as const)('%s', (operation, file) => {
    const codes = codeRows(file).filter((r) => /^-?\d+$/.test(r[0]!)).map((r) => Number(r[0]));
    expect(codes.length).toBeGreaterThanOrEqual(6);
    expect(schemas.ErrorCode.enum).toEqual(expect.arrayContaining(codes));
    expect(operationCodes[operation]).toEqual(expect.arrayContaining(codes));
    for (const code of codes) {
      const entry = errorCodeTable.find((e) => e.code === code)!;
      expect(entry.name, String(code)).toMatch(/^[a-z][A-Za-z]+$/);
      expect(entry.description, String(code)).toBeTruthy();
    }
  });

  it("the send page's wording of each code is the example's message", () => {
    for (const [code, wording] of codeRows(SEND_SEED).filter((r) => r[0] !== '0')) {
      expect(errorCodeTable.find((e) => e.code === Number(code))?.vendorMessage).toBe(wording);
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
  const tables = seedTables(SEND_SEED).filter((t) => /Intent Name/.test(t[0]!.join('|')));
  const scenarios = ['generic', 'debtCollection', 'debtCollectionDetailed', 'marketing', 'emergencyContactRelay'] as const;

  it('five tables, five scenarios', () => expect(tables).toHaveLength(scenarios.length));

  it.each(scenarios.map((s, i) => [s, i] as const))('%s', (scenario, index) => {
    const rows = tables[index]!.slice(1);
    const labels: Record<string, string> = intentLabels[scenario];
    expect(Object.keys(labels).sort()).toEqual(rows.map((r) => r[0]).sort());
    for (const [code, label] of rows) expect(labels[code!], code).toBe(label);
  });

  it('recallIntent draws from all of them', () => {
    expect(schemas.RecallIntentCode.anyOf.map((s: any) => s.$ref.split('/').pop())).toEqual([
      'GenericIntentCode',
      'DebtCollectionIntentCode',
      'DebtCollectionDetailedIntentCode',
      'MarketingIntentCode',
      'EmergencyContactRelayIntentCode',
    ]);
    expect(intentLabels.debtCollection['205']).toBe('Promise to pay: On time');
  });
});
