// The bodies the control API takes, checked against its contract (spec/mock-control/openapi.yaml) by the
// validators generated from it; a refusal says what and where, as the mock's -22 does for the vendor API.
import type { ErrorObject } from 'ajv';
import * as validators from '../../generated/mock-control-validators.js';
import type { Finding } from '../../generated/mock-control.js';

/** What a MockControlError is built from: what was refused, and where (JSON Pointers into what was sent). */
export interface MockControlErrorRaw {
  message: string;
  findings?: Finding[];
}

/** A control request the mock cannot take; `findings` say where (JSON Pointers into what was sent). */
export class MockControlError extends Error {
  override name = 'MockControlError';
  readonly findings: Finding[];

  constructor({ message, findings = [] }: MockControlErrorRaw) {
    const listed = findings.slice(0, 10).map((f) => `  ${f.path || '(body)'}: ${f.message}`);
    super(listed.length ? `${message}:\n${listed.join('\n')}` : message);
    this.findings = findings;
  }
}

const MAX_FINDINGS = 50;

function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `must not have ${JSON.stringify(params.additionalProperty)}`;
  if (error.keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'const') return `must be ${JSON.stringify(params.allowedValue)}`;
  return error.message ?? 'is invalid';
}

/**
 * Ajv's errors as findings. A failed oneOf (a fault's kinds) reports every variant's complaints; when the
 * value names exactly one variant's keys, only that variant's findings are kept, and otherwise one finding
 * says which keys would make it one.
 */
function findingsOf(errors: ErrorObject[]): Finding[] {
  const dropped = new Set<ErrorObject>();
  const extra: Finding[] = [];
  for (const oneOf of errors.filter((e) => e.keyword === 'oneOf')) {
    const variants = (oneOf.schema as { required?: string[] }[] | undefined) ?? [];
    const value = (oneOf.data ?? {}) as Record<string, unknown>;
    const meant = variants.flatMap((variant, index) => ((variant.required ?? []).every((key) => Object.hasOwn(value, key)) ? [index] : []));
    dropped.add(oneOf);
    for (const error of errors) {
      const prefix = `${oneOf.schemaPath}/`;
      if (error === oneOf || !error.schemaPath.startsWith(prefix)) continue;
      if (meant.length !== 1 || !error.schemaPath.startsWith(`${prefix}${meant[0]}/`)) dropped.add(error);
    }
    if (meant.length !== 1) {
      const keys = variants.flatMap((variant) => variant.required ?? []).map((k) => JSON.stringify(k)).join(', ');
      extra.push({ path: oneOf.instancePath, keyword: 'oneOf', message: `must have exactly one of ${keys}` });
    }
  }
  const seen = new Set<string>();
  return [...errors.filter((e) => !dropped.has(e)).map((error): Finding => ({ path: error.instancePath, keyword: error.keyword, message: messageOf(error) })), ...extra]
    .filter((finding) => {
      const key = `${finding.path}\u0000${finding.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .slice(0, MAX_FINDINGS);
}

/** The body if the control API's schema for `operation` accepts it; a MockControlError otherwise. */
export function controlBody<T>(operation: 'putState' | 'addFault', body: unknown): T {
  const validate = validators[operation];
  if (validate(body)) return body as T;
  throw new MockControlError({
    message: `${operation === 'putState' ? 'PUT /__mock/state' : 'POST /__mock/faults'} takes no such body`,
    findings: findingsOf(validate.errors ?? []),
  });
}
