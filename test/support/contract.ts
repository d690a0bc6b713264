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

import { operationPaths } from '../../generated/operations.js';

export { operationPaths };

type OperationId = keyof typeof operationPaths;

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
