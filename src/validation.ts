// One verdict for the SDK and the mock: the request validators generated from the contract, with their
// raw Ajv errors turned into findings a person can act on.
//
// Work and memory are bounded by the contract, not by the body (generated/request-plan.ts). A fail-fast
// pass over the whole schema comes first and settles every valid body; a refused one is then explained:
// 1. sizes: every list and map the contract bounds is measured without looking inside it; one too large
//    refuses the body on that alone (a 32 MiB list of `{}` costs one finding, not 11 million);
// 2. the outline: the whole body except the items of the long lists (numberInfoList), by one validator;
// 3. the long lists, item by item, so no more than one item's errors are ever held at once.
// Findings are kept up to `maxFindings` as they are made; past it they are only counted, up to
// MAX_COUNTED_FINDINGS, where the check stops: a body far too broken to fix by its list of problems (a
// 60 MiB task with every value wrong holds millions) costs no more than ten thousand of them.
import type { ErrorObject } from 'ajv';
import { requestPlans, type SizeBound } from '../generated/request-plan.js';

import type { OperationId } from '../generated/operations.js';

export type { OperationId };

export interface ValidationFinding {
  /** JSON Pointer into the request body (`/numberInfoList/3/calleeNumber`); `''` is the body itself. */
  path: string;
  /**
   * What is wrong there, in the contract's words: a pattern, length, range or size reads as its schema's
   * `x-rule` says (`must be 6–18 digits: country code + mobile number, no + or spaces`).
   */
  message: string;
  /** The contract's rule that refused it (`required`, `pattern`, `maximum`, `oneOf`…). */
  keyword: string;
}

export interface ValidationResult {
  valid: boolean;
  /** The findings, at most `maxFindings` of them: first the body's outline, then the items of long lists in order. */
  findings: ValidationFinding[];
  /**
   * How many findings there were in all (more than `findings.length` when the list was cut), counted up to
   * MAX_COUNTED_FINDINGS: at that many the check stops, and `total` means "at least". When a list or map is
   * larger than the contract allows, the body is refused for that alone: the findings name each one too
   * large (keyword `maxItems` or `maxProperties`) and `total` counts only those, as nothing else was checked.
   */
  total: number;
}

/** How many findings `validateRequest` keeps unless told otherwise; the count past it goes on. */
export const DEFAULT_MAX_FINDINGS = 1000;

/** Where counting stops: a `total` of this many means this many or more. */
export const MAX_COUNTED_FINDINGS = 10_000;

export interface ValidateOptions {
  /** Keep at most this many findings (default 1,000; counting goes on to MAX_COUNTED_FINDINGS); a 200,000-number body can hold far more. */
  maxFindings?: number;
}

/** Keeps the first `max` findings and counts the rest, until MAX_COUNTED_FINDINGS. */
class Findings {
  readonly kept: ValidationFinding[] = [];
  total = 0;
  constructor(private readonly max: number) {}
  /** Whether counting has stopped: nothing more needs checking. */
  get full(): boolean {
    return this.total >= MAX_COUNTED_FINDINGS;
  }
  add(finding: ValidationFinding): void {
    if (this.full) return;
    this.total++;
    if (this.kept.length < this.max) this.kept.push(finding);
  }
}

/** Validates a request body against the operation's schema in the contract. */
export function validateRequest(
  operation: OperationId,
  body: unknown,
  { maxFindings = DEFAULT_MAX_FINDINGS }: ValidateOptions = {},
): ValidationResult {
  const plan = requestPlans[operation];
  // One fail-fast pass over the whole body: a valid one (the usual case) needs nothing more.
  if (plan.accepts(body)) return { valid: true, findings: [], total: 0 };
  const found = new Findings(maxFindings);

  sizeChecks[operation]?.(body, found, []);
  if (found.total > 0) return { valid: false, findings: found.kept, total: found.total };

  if (!plan.outline(body)) for (const finding of explain(plan.outline.errors ?? [])) found.add(finding);
  for (const list of plan.lists) {
    if (found.full) break;
    const items = reach(body, list.path);
    if (!Array.isArray(items)) continue; // the outline has said what is wrong with it
    const base = pointer(list.path);
    for (let i = 0; i < items.length && !found.full; i++) {
      if (list.validateItem(items[i])) continue;
      for (const finding of explain(list.validateItem.errors ?? [])) found.add({ ...finding, path: `${base}/${i}${finding.path}` });
    }
  }
  return { valid: found.total === 0, findings: found.kept, total: found.total };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of object keys, or undefined when the body does not have one there. */
function reach(body: unknown, path: readonly string[]): unknown {
  let value = body;
  for (const key of path) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

function escape(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escape(s)}`).join('');
}

/** Whether an object has more own keys than `limit`. */
function moreKeysThan(value: object, limit: number): boolean {
  return Object.keys(value).length > limit;
}

/** Checks one place of a body against its size bounds; `segments` is its path, built into a pointer only for a finding. */
type SizeCheck = (value: unknown, found: Findings, segments: (string | number)[]) => void;

/**
 * Step 1, compiled once per operation from the generated bounds: every list and map the contract bounds,
 * measured without looking inside one that is too large. Only bounds that hold on every variant of the
 * contract are in the plan (see the generator), so this never refuses a body the validators would accept.
 * It descends only where the contract bounds something deeper, so its depth is the bound tree's (a few
 * levels), however deep the body; the 200,000 items of a large task cost about as much as validating them.
 */
function compileSizeCheck(bound: SizeBound): SizeCheck | undefined {
  const items = bound.items && compileSizeCheck(bound.items);
  const properties = Object.entries(bound.properties ?? {}).map(([key, sub]) => [key, compileSizeCheck(sub)] as const);
  const additional = bound.additional && compileSizeCheck(bound.additional);
  const { maxItems, maxProperties, maxItemsRule, maxPropertiesRule } = bound;
  if (!items && !additional && properties.every(([, check]) => !check) && maxItems === undefined && maxProperties === undefined) return undefined;
  const known = new Map(properties);
  const visit = (check: SizeCheck, value: unknown, found: Findings, segments: (string | number)[], segment: string | number) => {
    segments.push(segment);
    check(value, found, segments);
    segments.pop();
  };

  return (value, found, segments) => {
    if (Array.isArray(value)) {
      if (maxItems !== undefined && value.length > maxItems) {
        found.add({ path: pointer(segments), message: maxItemsRule ?? `must NOT have more than ${maxItems} items`, keyword: 'maxItems' });
      } else if (items) {
        for (let i = 0; i < value.length; i++) visit(items, value[i], found, segments, i);
      }
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (maxProperties !== undefined && moreKeysThan(value, maxProperties)) {
      found.add({ path: pointer(segments), message: maxPropertiesRule ?? `must NOT have more than ${maxProperties} properties`, keyword: 'maxProperties' });
      return;
    }
    const record = value as Record<string, unknown>;
    if (additional) {
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const check = known.has(key) ? known.get(key) : additional;
        if (check) visit(check, record[key], found, segments, key);
      }
      return;
    }
    for (const [key, check] of properties) if (check && Object.hasOwn(record, key)) visit(check, record[key], found, segments, key);
  };
}

const sizeChecks = Object.fromEntries(Object.entries(requestPlans).map(([operation, plan]) => [operation, compileSizeCheck(plan.bounds)])) as Record<
  OperationId,
  SizeCheck | undefined
>;

/** `"/path: message"`, the way findings are shown in error messages. */
export function formatFinding(finding: ValidationFinding): string {
  return `${finding.path || '(body)'}: ${finding.message}`;
}

// --- From Ajv's errors to findings -------------------------------------------------------------------
//
// The contract models conditional rules as `oneOf`/`anyOf` of variants tagged with `const` (see
// RecallNode). Ajv reports every variant's failures, most of them about variants the body never meant.
// A variant whose tag does not match is dropped; if no variant's tag matches, one finding names the
// tags that would. Everything here works from the errors' schema paths, never from field names.

const BRANCH_TAG = /^(?:allOf\/\d+\/)*(?:properties\/[^/]+\/(?:const|enum)|type|required)$/;

function isTagMiss(error: ErrorObject, rest: string): boolean {
  if (!BRANCH_TAG.test(rest)) return false;
  if (error.keyword === 'const' || error.keyword === 'enum') return true;
  if (error.keyword === 'type') return rest.endsWith('type') && !rest.includes('properties/');
  if (error.keyword === 'required') {
    const property = (error.params as { missingProperty: string }).missingProperty;
    // Only a `const` marks an absent property as a variant's tag; an `enum` there is a field's own range
    // (e.g. recallType in SendRecallFlow), and its absence is reported by `required` as it stands.
    const declared = (error.parentSchema as { properties?: Record<string, { const?: unknown }> })?.properties?.[property];
    return declared?.const !== undefined;
  }
  return false;
}

function within(error: ErrorObject, instancePath: string): boolean {
  return error.instancePath === instancePath || error.instancePath.startsWith(instancePath + '/');
}

/** What the unmatched tags of a failed combinator say the value should have been. */
function describeTags(misses: ErrorObject[], combinator: ErrorObject): ValidationFinding | undefined {
  const base = combinator.instancePath;
  const alternatives: string[] = [];
  const properties = new Set<string>();
  const types: string[] = [];
  for (const miss of misses) {
    if (miss.keyword === 'type' && miss.instancePath === base) {
      types.push(...String((miss.params as { type: string }).type).split(','));
      continue;
    }
    const property =
      miss.keyword === 'required'
        ? (miss.params as { missingProperty: string }).missingProperty
        : miss.instancePath.slice(base.length + 1);
    const declared = miss.keyword === 'required'
      ? (miss.parentSchema as any).properties[property]
      : miss.parentSchema as any;
    const values: unknown[] = declared.const !== undefined ? [declared.const] : declared.enum;
    properties.add(property);
    for (const value of values) alternatives.push(`${property} = ${JSON.stringify(value)}`);
  }
  if (types.length && !alternatives.length) {
    return { path: base, message: `must be ${[...new Set(types)].join(' or ')}`, keyword: 'type' };
  }
  const unique = [...new Set(alternatives)];
  if (properties.size === 1) {
    const [property] = properties;
    const values = unique.map((a) => a.slice(property!.length + 3));
    return { path: `${base}/${property}`, message: `must be one of ${values.join(', ')}`, keyword: combinator.keyword };
  }
  const lead = combinator.keyword === 'anyOf' ? 'must have at least one of' : 'must match one of';
  return { path: base, message: `${lead}: ${unique.join(', ')}`, keyword: combinator.keyword };
}

function explain(errors: ErrorObject[]): ValidationFinding[] {
  const dropped = new Set<ErrorObject>();
  const extra: ValidationFinding[] = [];
  const combinators = errors
    .filter((e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && !(e.params as any).passingSchemas)
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);

  for (const combinator of combinators) {
    if (dropped.has(combinator)) continue;
    const prefix = combinator.schemaPath + '/';
    const branches = new Map<string, { errors: ErrorObject[]; misses: ErrorObject[] }>();
    for (const error of errors) {
      if (dropped.has(error) || !error.schemaPath.startsWith(prefix) || !within(error, combinator.instancePath)) continue;
      const rest = error.schemaPath.slice(prefix.length);
      const slash = rest.indexOf('/');
      const index = rest.slice(0, slash);
      const branch = branches.get(index) ?? { errors: [], misses: [] };
      branch.errors.push(error);
      if (isTagMiss(error, rest.slice(slash + 1))) branch.misses.push(error);
      branches.set(index, branch);
    }
    const matched = [...branches.values()].filter((b) => b.misses.length === 0);
    for (const branch of branches.values()) {
      if (matched.length === 0 || branch.misses.length > 0) branch.errors.forEach((e) => dropped.add(e));
    }
    dropped.add(combinator);
    if (matched.length === 0) {
      const finding = describeTags([...branches.values()].flatMap((b) => b.misses), combinator);
      if (finding) extra.push(finding);
    }
  }

  const findings = errors.filter((e) => !dropped.has(e)).map(toFinding);
  // A synthesized finding adds nothing when a field-level finding already names the same property.
  for (const finding of extra) {
    const covered = findings.some(
      (f) => f.path === finding.path || (f.keyword === 'required' && `${f.path}/${f.message.match(/'(.+)'/)?.[1]}` === finding.path),
    );
    if (!covered) findings.push(finding);
  }
  // One finding per place and rule; and one per place and wording, since the contract words all the
  // bounds of a schema at once (a 3-character baseFile breaks its length and its encoding, in one rule).
  const seen = new Set<string>();
  return findings.filter((f) => {
    const keys = [`${f.path}\u0000${f.keyword}\u0000${f.keyword === 'required' ? f.message : ''}`, `${f.path}\u0000\u0000${f.message}`];
    if (keys.some((key) => seen.has(key))) return false;
    keys.forEach((key) => seen.add(key));
    return true;
  });
}

/**
 * Keywords whose refusal the contract words itself: the schema holding one carries `x-rule` (see
 * spec/components/README.md), which the generated validators keep and hand over as `parentSchema`.
 */
const WORDED = new Set([
  'pattern',
  'contentEncoding',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
]);

/** The contract's wording of the rule that refused a value, or undefined when it gives none. */
function contractWording(error: ErrorObject): string | undefined {
  if (!WORDED.has(error.keyword)) return undefined;
  const rule = (error.parentSchema as { 'x-rule'?: unknown } | undefined)?.['x-rule'];
  return typeof rule === 'string' ? rule : undefined;
}

function toFinding(error: ErrorObject): ValidationFinding {
  const params = error.params as Record<string, any>;
  const worded = contractWording(error);
  if (worded !== undefined) return { path: error.instancePath, message: worded, keyword: error.keyword };
  let message = error.message ?? 'is invalid';
  switch (error.keyword) {
    case 'pattern':
      message = `must match ${params.pattern}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(params.allowedValue)}`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'type':
      message = `must be ${String(params.type).split(',').join(' or ')}`;
      break;
  }
  return { path: error.instancePath, message, keyword: error.keyword };
}
