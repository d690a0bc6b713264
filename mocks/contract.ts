// What the mock reads from the bundled contract besides Prism's operations: the documented keyIds (so
// the contract's own examples work against a fresh mock) and the named examples of each operation.
import { readFileSync } from 'node:fs';

export type OpenApiDocument = Record<string, any>;

export function loadContract(spec: string | OpenApiDocument): OpenApiDocument {
  if (typeof spec !== 'string') return spec;
  try {
    return JSON.parse(readFileSync(spec, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new Error(`cannot read the bundled contract ${spec} (${reason}); run \`npm run bundle\` first`);
  }
}

/** Follows a local `$ref` (`#/components/examples/X`), as Redocly's bundle leaves them. */
export function deref(doc: OpenApiDocument, node: any): any {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 16; hops++) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`the mock only follows local $refs, not ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((value: any, key) => value?.[key], doc);
  }
  return current;
}

export interface ContractOperation {
  operationId: string;
  method: string;
  path: string;
  /** Request examples by name, values resolved. */
  requestExamples: Record<string, unknown>;
  /** Names of the 200 response's examples, in the contract's order. */
  responseExampleNames: string[];
}

export function contractOperations(doc: OpenApiDocument): ContractOperation[] {
  const operations: ContractOperation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    const pathItem = deref(doc, item);
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      const operation = pathItem?.[method];
      if (!operation?.operationId) continue;
      const requestContent = deref(doc, operation.requestBody)?.content?.['application/json'];
      const requestExamples: Record<string, unknown> = {};
      for (const [name, example] of Object.entries<any>(requestContent?.examples ?? {})) {
        requestExamples[name] = deref(doc, example)?.value;
      }
      const ok = deref(doc, operation.responses?.['200'])?.content?.['application/json'];
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        requestExamples,
        responseExampleNames: Object.keys(ok?.examples ?? {}),
      });
    }
  }
  return operations;
}

/**
 * The keyIds the contract's examples show: every request example's `keyId` and every integer `data` of a
 * success example (the keyId a send returns). A fresh mock treats them as issued.
 */
export function documentedKeyIds(doc: OpenApiDocument, successBodies: unknown[]): number[] {
  const ids = new Set<number>();
  for (const operation of contractOperations(doc)) {
    for (const example of Object.values(operation.requestExamples)) {
      const keyId = (example as { keyId?: unknown } | null)?.keyId;
      if (Number.isInteger(keyId)) ids.add(keyId as number);
    }
  }
  for (const body of successBodies) {
    const data = (body as { data?: unknown } | null)?.data;
    if (Number.isInteger(data)) ids.add(data as number);
  }
  return [...ids];
}
