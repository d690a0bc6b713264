// One verdict for the SDK and the mock: the request validators generated from the contract, with their
// raw Ajv errors turned into findings a person can act on.
import type { ErrorObject } from 'ajv';
import * as validators from '../generated/validators.js';

import type { OperationId } from '../generated/operations.js';

export type { OperationId };

export interface ValidationFinding {
  /** JSON Pointer into the request body (`/numberInfoList/3/calleeNumber`); `''` is the body itself. */
  path: string;
  /** What is wrong there, e.g. `must match ^[0-9]{6,18}$`. */
  message: string;
  /** The contract's rule that refused it (`required`, `pattern`, `maximum`, `oneOf`…). */
  keyword: string;
}

export interface ValidationResult {
  valid: boolean;
  /** The findings, at most `maxFindings` of them. */
  findings: ValidationFinding[];
  /** How many findings there were in all (more than `findings.length` when the list was cut). */
  total: number;
}

export interface ValidateOptions {
  /** Keep at most this many findings (the count stays exact); a 200,000-number body can hold that many. */
  maxFindings?: number;
}

/** Validates a request body against the operation's schema in the contract. */
export function validateRequest(
  operation: OperationId,
  body: unknown,
  { maxFindings = Number.POSITIVE_INFINITY }: ValidateOptions = {},
): ValidationResult {
  const validate = validators[operation];
  if (validate(body)) return { valid: true, findings: [], total: 0 };
  const findings = explain(validate.errors ?? []);
  return { valid: false, findings: findings.slice(0, maxFindings), total: findings.length };
}

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
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.path}\u0000${f.keyword}\u0000${f.keyword === 'required' ? f.message : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toFinding(error: ErrorObject): ValidationFinding {
  const params = error.params as Record<string, any>;
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
