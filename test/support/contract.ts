// Reads the contract as users get it: bundled by Redocly, exactly as `npm run bundle` does; and the vendor's
// API reference pages, as the facts written down in test/fixtures/vendor/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');

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

import { operationPaths, type OperationId } from '../../generated/operations.js';

export { operationPaths };

/**
 * The node a local reference points to (`{ $ref: '#/components/examples/TaskNameExists' }` → that
 * example), followed until it is no reference; any other node as it is. The one place the tests resolve
 * `$ref` (JSON Pointer segments unescaped: `~1` is `/`, `~0` is `~`).
 */
export function resolveRef<T = any>(doc: unknown, node: unknown): T {
  let current: any = node;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#/') || hops > 32) throw new Error(`cannot resolve ${ref}: only local references, without cycles`);
    current = ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((value: any, key) => {
        if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) throw new Error(`${ref} points nowhere`);
        return value[key];
      }, doc);
  }
  return current as T;
}

/** The name of what a reference points to, its last segment: `#/components/schemas/GenericIntentCode` → `GenericIntentCode`. */
export function refName(node: { $ref: string }): string {
  return node.$ref.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The contract's named examples of an operation, as bundled (request bodies or 200 envelopes): name → value. */
export function contractExamples(operationId: OperationId, kind: 'request' | 'response'): Record<string, any> {
  const contract = bundledContract().bundled;
  const operation = contract.paths[operationPaths[operationId]].post;
  const media = kind === 'request' ? operation.requestBody.content['application/json'] : operation.responses['200'].content['application/json'];
  return Object.fromEntries(Object.entries<any>(media.examples).map(([name, example]) => [name, resolveRef(contract, example).value]));
}

/** One row of a page's request parameter table, as stated (`required` is "Yes", "No" or the page's condition). */
export interface VendorParameter {
  name: string;
  required: string;
  type: string;
}

/** One of the vendor's API reference pages, as data (test/fixtures/vendor/README.md). */
export interface VendorPage {
  $comment: string;
  operationId: OperationId;
  method: 'POST';
  url: string;
  exampleHeaders: Record<string, string>;
  parameters: VendorParameter[];
  exampleRequest: unknown;
  responseParameters: { name: string; type: string }[];
  exampleResponse: unknown;
  statusCodes: { code: number; description: string }[];
}

export const intentScenarios = ['generic', 'debtCollection', 'debtCollectionDetailed', 'marketing', 'emergencyContactRelay'] as const;

/** The send page also has the `callInformation` key table and the five recall-intent tables. */
export interface SendAgentGroupCallPage extends VendorPage {
  callInformationKeys: { key: string; variable: string; requiredDebtCollection: string; requiredEmergencyContactRelay: string }[];
  recallIntents: Record<(typeof intentScenarios)[number], Record<string, string>>;
}

const vendorFiles: Record<OperationId, string> = {
  sendAgentGroupCall: 'send-agent-group-call.json',
  updateRecallFlow: 'update-recall-flow.json',
};

/** The facts of the vendor's API reference page for an operation, from test/fixtures/vendor/. */
export function vendorPage(operationId: 'sendAgentGroupCall'): SendAgentGroupCallPage;
export function vendorPage(operationId: OperationId): VendorPage;
export function vendorPage(operationId: OperationId): VendorPage {
  const page: VendorPage = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'vendor', vendorFiles[operationId]), 'utf8'));
  if (page.operationId !== operationId) throw new Error(`${vendorFiles[operationId]} describes ${page.operationId}, not ${operationId}`);
  return page;
}
