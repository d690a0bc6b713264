// Every refusal the contract can make reads in the contract's own words. A pattern, length, range or size
// carries its wording in the contract (`x-rule` on the schema, see spec/components/README.md); the
// generated validators hand it over, and src/validation.ts words the finding with it. Here: every such
// rule has a wording that states its bounds, and every rule case's refusal reads in it, with its path.
import { describe, expect, it } from 'vitest';
import { operationIds, operationPaths } from '../../generated/operations.js';
import { validateRequest, type ValidationFinding } from '../../src/validation.js';
import { bundledContract } from '../support/contract.js';
import { ruleCases } from '../support/rule-cases.js';

/** The keywords whose refusals the contract words (src/validation.ts words exactly these). */
const WORDED = ['pattern', 'contentEncoding', 'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];
/** Keywords that are documentation to the validators (validateFormats is off: int32 is a range, given by minimum/maximum). */
const UNCHECKED = new Set(['format']);

interface Ruled {
  /** Where the schema is: the operation's path, then property names (`items` for a list's items). */
  where: string;
  /** The property the schema describes (the last name of `where`). */
  property: string;
  schema: Record<string, any>;
  keywords: string[];
}

/** Every schema of a request holding a worded keyword, walked through properties, items and combinators. */
function ruledSchemas(): Ruled[] {
  const { dereferenced } = bundledContract();
  const found: Ruled[] = [];
  const walk = (schema: any, where: string[]) => {
    if (typeof schema !== 'object' || schema === null) return;
    const keywords = WORDED.filter((k) => k in schema && !UNCHECKED.has(k));
    if (keywords.length) found.push({ where: where.join(' › '), property: where.at(-1)!.replace(/ \(.*\)$/, ''), schema, keywords });
    for (const [name, sub] of Object.entries(schema.properties ?? {})) walk(sub, [...where, name]);
    if (typeof schema.items === 'object') walk(schema.items, [...where, 'items']);
    if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, [...where, '*']);
    // A variant is named by its title, so two variants' rules on one property stay apart.
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      for (const sub of schema[key] ?? []) walk(sub, typeof sub?.title === 'string' ? [...where.slice(0, -1), `${where.at(-1)} (${sub.title})`] : where);
    }
  };
  for (const operation of operationIds) {
    const path = operationPaths[operation];
    walk(dereferenced.paths[path].post.requestBody.content['application/json'].schema, [path]);
  }
  return found;
}

const ruled = ruledSchemas();

/** Every wording of the contract, by the property it describes. */
const wordingsOf = new Map<string, Set<string>>();
for (const { property, schema } of ruled) {
  if (typeof schema['x-rule'] !== 'string') continue;
  const set = wordingsOf.get(property) ?? new Set<string>();
  set.add(schema['x-rule']);
  wordingsOf.set(property, set);
}

/** The property a finding's path names (`/numberInfoList/0/calleeNumber` → calleeNumber; a list item → items). */
function propertyOf(path: string): string {
  const last = path.split('/').at(-1)!.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^[0-9]+$/.test(last) ? 'items' : last;
}

/** Whether a JSON Pointer reaches a value of the body (or, for a missing property, its container). */
function reaches(body: unknown, path: string): boolean {
  if (path === '') return true;
  let value: any = body;
  for (const raw of path.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return false;
    value = value[key];
  }
  return true;
}

/** Ajv's own wording of the worded keywords; none may reach a finding the contract words. */
const AJV_WORDING = /^must (match "?\^|NOT have (fewer|more) than|be [<>]=? ?-?[0-9]|be multiple of|match format)/;

describe('every pattern, length, range and size in the contract carries its wording', () => {
  it.each(ruled.map((r) => [r.where, r] as const))('%s', (where, { schema, keywords }) => {
    expect(typeof schema['x-rule'], `${where} (${keywords.join(', ')}) needs an x-rule`).toBe('string');
    const wording: string = schema['x-rule'];
    expect(wording).toMatch(/^must /);
    // The wording states the bounds it words, so it cannot drift from them unnoticed.
    for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']) {
      if (typeof schema[key] !== 'number') continue;
      const n: number = schema[key];
      expect([String(n), n.toLocaleString('en-US')].some((text) => wording.includes(text)), `${where}: "${wording}" does not state ${key} ${n}`).toBe(true);
    }
  });
});

describe("each rule case's refusal reads in the contract's words, at its JSON path", () => {
  it.each(ruleCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { findings } = validateRequest(c.operation, c.invalid);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings as ValidationFinding[]) {
      expect(finding.path === '' || finding.path.startsWith('/'), `a JSON Pointer: ${finding.path}`).toBe(true);
      const container = finding.path.slice(0, finding.path.lastIndexOf('/'));
      expect(reaches(c.invalid, finding.path) || reaches(c.invalid, container), `${finding.path} is in the body`).toBe(true);
      if (!WORDED.includes(finding.keyword)) continue;
      const property = propertyOf(finding.path);
      expect(wordingsOf.get(property), `the contract's wordings of ${property}`).toContain(finding.message);
      expect(finding.message).not.toMatch(AJV_WORDING);
    }
  });

  it('the cases cover every kind of worded rule the contract has', () => {
    const refused = new Set(ruleCases.flatMap((c) => validateRequest(c.operation, c.invalid).findings.map((f) => f.keyword)));
    const used = new Set(ruled.flatMap((r) => r.keywords));
    for (const keyword of used) expect(refused, `no rule case is refused by ${keyword}`).toContain(keyword);
  });
});
