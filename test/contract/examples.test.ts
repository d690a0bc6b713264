import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { formatFinding, validateRequest } from '../../src/validation.js';
import { bundledContract, operationPaths, vendorPage } from '../support/contract.js';

const { dereferenced } = bundledContract();
const ajv = new Ajv2020.default({ allErrors: true, strict: false, validateFormats: false });

const operations = Object.entries(operationPaths).map(([operationId, path]) => {
  const post = dereferenced.paths[path].post;
  return {
    operationId: operationId as keyof typeof operationPaths,
    requestExamples: Object.entries<any>(post.requestBody.content['application/json'].examples),
    responseSchema: post.responses['200'].content['application/json'].schema,
    responseExamples: Object.entries<any>(post.responses['200'].content['application/json'].examples),
  };
});

const findingsOf = (operationId: keyof typeof operationPaths, body: unknown) =>
  validateRequest(operationId, body).findings.map(formatFinding);

describe('every request example in the contract is accepted', () => {
  for (const op of operations) {
    it.each(op.requestExamples)(`${op.operationId}: %s`, (_name, example) => {
      expect(findingsOf(op.operationId, example.value)).toEqual([]);
    });
  }
});

describe('every response example matches its response schema', () => {
  for (const op of operations) {
    const validate = ajv.compile(op.responseSchema);
    it.each(op.responseExamples)(`${op.operationId}: %s`, (_name, example) => {
      expect(validate(example.value), JSON.stringify(validate.errors)).toBe(true);
    });
  }
});

describe("the vendor's own examples, as its pages show them (test/fixtures/vendor/), are accepted as they stand", () => {
  it('send: the request (null-free, string agentIds in recall nodes, top-level calloutRate)', () => {
    expect(findingsOf('sendAgentGroupCall', vendorPage('sendAgentGroupCall').exampleRequest)).toEqual([]);
  });
  it('update: the request (nulls, voiceFileName, idxSmsAppId)', () => {
    expect(findingsOf('updateRecallFlow', vendorPage('updateRecallFlow').exampleRequest)).toEqual([]);
  });
  it.each(['sendAgentGroupCall', 'updateRecallFlow'] as const)('%s: the response (code as string or number)', (operationId) => {
    const op = operations.find((o) => o.operationId === operationId)!;
    const validate = ajv.compile(op.responseSchema);
    expect(validate(vendorPage(operationId).exampleResponse), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('schema-level examples match their schemas', () => {
  const schemas = Object.entries<any>(dereferenced.components.schemas).filter(([, s]) => Array.isArray(s.examples));
  it('there are schema examples to check', () => expect(schemas.length).toBeGreaterThan(10));
  it.each(schemas)('%s', (_name, schema) => {
    const validate = ajv.compile(schema);
    for (const example of schema.examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });
});
