// Property-based checks of the validators, with bodies generated from the contract's own schemas.
// Seeded and bounded, so a failure reproduces and the suite stays fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFinding, validateRequest, type OperationId } from '../../src/validation.js';
import { FAR_PAST, farPastBounds, guaranteedInvalid, HUGE_STRING, hugeUnboundedStrings, mutationCategories, validBody, type Generated, type Mutation } from '../support/arbitrary.js';
import { bundledContract, operationPaths } from '../support/contract.js';

const { dereferenced } = bundledContract();
const SEED = 20261123;
const schemaOf = (op: OperationId) => dereferenced.paths[operationPaths[op]].post.requestBody.content['application/json'].schema;
const operations = Object.keys(operationPaths) as OperationId[];
/** A pointer's place in the schema: list indexes as `*`. */
const placeOf = (pointer: string) => pointer.replace(/\/[0-9]+(?=\/|$)/g, '/*');

/** Unbounded strings of each operation's body that the huge-string mutations must have reached, at least. */
const unboundedPlaces: Record<OperationId, string[]> = {
  sendAgentGroupCall: ['/numberInfoList/*/callInformation/name'],
  updateRecallFlow: ['/nodeList/*/baseFile'],
};

/** Whether a JSON Pointer reaches a value of the body, or the object a missing property belongs in. */
function reachesInto(body: unknown, path: string): boolean {
  let value: any = body;
  const keys = path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const [index, key] of keys.entries()) {
    if (typeof value !== 'object' || value === null) return false;
    if (!Object.hasOwn(value, key)) return index === keys.length - 1;
    value = value[key];
  }
  return true;
}

/** Places of each operation's body that the far-past mutations must have reached, at least. */
const boundedPlaces: Record<OperationId, string[]> = {
  sendAgentGroupCall: ['/numberInfoList', '/numberInfoList/*/callInformation', '/allowSendTime', '/taskName'],
  updateRecallFlow: ['/nodeList'],
};

describe.each(operations)('%s', (operation) => {
  const bodies = validBody(schemaOf(operation));
  /** For each generated body, one of the mutations `options` offers for it (undefined when it offers none). */
  const oneMutationOf = (options: (generated: Generated) => Mutation[]) =>
    bodies.chain((generated) => {
      const offered = options(generated);
      return offered.length ? fc.constantFrom(...offered) : fc.constant(undefined);
    });

  it('accepts every body generated from its schema', () => {
    fc.assert(
      fc.property(bodies, (generated) => {
        const { findings } = validateRequest(operation, generated.value);
        expect(findings.map(formatFinding), JSON.stringify(generated.value)).toEqual([]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it(`refuses a mutated body (${mutationCategories.join(', ')}) and points at it`, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(bodies.chain(guaranteedInvalid), (mutation) => {
        seen.add(mutation.category);
        const { valid, findings } = validateRequest(operation, mutation.body);
        // The body is shown only on failure, and cut short: a far-past mutation holds 800,000 items.
        if (valid) expect.fail(`${mutation.kind} at ${mutation.pointer}: ${JSON.stringify(mutation.body).slice(0, 2000)}`);
        const near = findings.some((f) => f.path === mutation.pointer || f.path.startsWith(mutation.pointer + '/') || mutation.pointer.startsWith(f.path));
        expect(near, `${mutation.kind} at ${mutation.pointer}: ${findings.map(formatFinding).join('; ')}`).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect([...seen].sort()).toEqual([...mutationCategories].sort()); // the run really tried every kind
  });

  it(`refuses a body ${FAR_PAST}× past any size bound (maxItems, maxLength, maxProperties) there, with a bounded verdict`, () => {
    const kinds = new Set<string>();
    const places = new Set<string>();
    fc.assert(
      fc.property(
        oneMutationOf(farPastBounds),
        (mutation) => {
          if (!mutation) return;
          kinds.add(mutation.kind.split(' ')[1]!);
          places.add(placeOf(mutation.pointer));
          const { valid, findings, total } = validateRequest(operation, mutation.body, { maxFindings: 50 });
          expect(valid, `${mutation.kind} at ${mutation.pointer}`).toBe(false);
          expect(findings.map((f) => f.path), `${mutation.kind} at ${mutation.pointer}`).toContain(mutation.pointer);
          // Refused for its size (plus, for a string, its pattern): the items were never examined one by one.
          expect(total, findings.map(formatFinding).join('; ')).toBeLessThanOrEqual(3);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
    expect([...kinds]).toEqual(expect.arrayContaining(['items', 'characters']));
    expect([...places]).toEqual(expect.arrayContaining(boundedPlaces[operation]));
  });

  it(`gives a verdict, never an exception, when a string without maxLength holds ${HUGE_STRING.toLocaleString('en-US')} characters`, () => {
    const places = new Set<string>();
    fc.assert(
      fc.property(
        oneMutationOf(hugeUnboundedStrings),
        (mutation) => {
          if (!mutation) return;
          places.add(placeOf(mutation.pointer));
          const { valid, findings } = validateRequest(operation, mutation.body, { maxFindings: 50 });
          for (const finding of findings) expect(reachesInto(mutation.body, finding.path), formatFinding(finding)).toBe(true);
          if (!valid) expect(findings.length).toBeGreaterThan(0);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
    expect([...places]).toEqual(expect.arrayContaining(unboundedPlaces[operation]));
  });

  it('never throws on arbitrary JSON, and every finding points into the body', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const result = validateRequest(operation, value);
        expect(typeof result.valid).toBe('boolean');
        for (const finding of result.findings) expect(finding.path === '' || finding.path.startsWith('/')).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('hostile input', () => {
  it('prototype-pollution keys are data, not prototypes', () => {
    const body = JSON.parse('{"appId":"a","taskName":"ab","agentId":1,"numberInfoList":[{"calleeNumber":"123456","__proto__":{"polluted":1},"callInformation":{"constructor":{"prototype":{"polluted":1}}}}],"__proto__":{"polluted":1}}');
    const result = validateRequest('sendAgentGroupCall', body);
    expect(({} as any).polluted).toBeUndefined();
    expect(result.findings.map(formatFinding)).toEqual(['/numberInfoList/0/callInformation/constructor: must be string']);
  });

  it('deep nesting is refused without a stack overflow', () => {
    let deep: any = 'x';
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const result = validateRequest('updateRecallFlow', { keyId: 1, recallType: 0, recallInterval: 1, recallNum: 1, nodeList: [deep] });
    expect(result.valid).toBe(false);
  });

  it('a 5 MB string is refused with a short message', () => {
    const result = validateRequest('sendAgentGroupCall', { appId: 'a'.repeat(5_000_000), taskName: 'ab', agentId: 1, numberInfoList: [{ calleeNumber: '123456' }] });
    expect(result.findings.map(formatFinding)).toEqual(['/appId: must be 1–64 characters']);
  });

  it('unicode is counted in UTF-16 units and otherwise welcome', () => {
    const body = { appId: '应用', taskName: '任务😀', agentId: 1, numberInfoList: [{ calleeNumber: '123456', text1: '\u0000\uFFFF😀' }] };
    expect(validateRequest('sendAgentGroupCall', body).valid).toBe(true);
  });
});
