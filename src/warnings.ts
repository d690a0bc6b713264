// Advice the contract cannot express as a refusal: the vendor accepts these bodies but does something the
// caller probably did not mean (drops unknown fields, truncates script texts, ignores spare recall nodes).
// Driven by the generated request shapes, so a field added to the contract stops being "unknown" by itself.
// The other kind, drift in an answer (`validateResponses`), is found by src/drift.ts; its type is here.
import { requestShapes, type ShapeNode } from '../generated/request-shape.js';
import type { VoiceOperation } from './errors.js';
import { operationRules } from './operations.js';

/** Advice about a request body, before it is sent. */
export interface VoiceRequestWarning {
  operation: VoiceOperation;
  kind: 'unknownField' | 'truncated' | 'recallNodeCount' | 'moreWarnings';
  /** JSON Pointer to the value concerned, like validation findings (`/numberInfoList/3/text1`). */
  path: string;
  message: string;
}

/**
 * An answer that is not what the contract promises (`validateResponses`): the same finding the
 * contract-check proxy reports as a response violation. It names a place and a rule, never a whole body.
 */
export interface VoiceDriftWarning {
  operation: VoiceOperation;
  kind: 'drift';
  /** JSON Pointer into the answer's body (`/code`, `/data`; `''`: the answer itself). */
  path: string;
  message: string;
  /** The contract's rule: `status`, `contentType`, `json`, `code`, `data`, or the schema keyword (`type`, `pattern`…). */
  keyword: string;
  /** The answer's HTTP status. */
  status: number;
}

export type VoiceWarning = VoiceRequestWarning | VoiceDriftWarning;
export type VoiceWarningKind = VoiceWarning['kind'];

/** At most this many warnings per request are reported one by one; the rest are summed up in one. */
export const MAX_WARNINGS = 100;

/** A JSON Pointer from path segments, built only when a warning needs it (the walk visits millions of values). */
function pointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) out += `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every warning for a body (only the first `limit` itemised), without changing it. */
export function collectWarnings(operation: VoiceOperation, body: unknown, limit = MAX_WARNINGS): VoiceRequestWarning[] {
  const warnings: VoiceRequestWarning[] = [];
  let total = 0;
  const add = (kind: VoiceRequestWarning['kind'], path: string, message: string) => {
    total++;
    if (warnings.length < limit) warnings.push({ operation, kind, path, message });
  };

  const segments: (string | number)[] = [];
  const walk = (value: unknown, shape: ShapeNode): void => {
    if (shape.truncatedAfter !== undefined && typeof value === 'string' && value.length > shape.truncatedAfter) {
      add('truncated', pointer(segments), `is ${value.length} characters long; the vendor keeps only the first ${shape.truncatedAfter}`);
    }
    if (Array.isArray(value)) {
      if (!shape.items) return;
      for (let i = 0; i < value.length; i++) {
        segments.push(i);
        walk(value[i], shape.items);
        segments.pop();
      }
      return;
    }
    if (!isRecord(value) || (!shape.properties && !shape.additional)) return;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      segments.push(key);
      const known = shape.properties?.[key];
      if (known) walk(value[key], known);
      else if (!shape.additional) add('unknownField', pointer(segments), 'is not a field of this request in the contract; the vendor ignores it');
      segments.pop();
    }
  };
  walk(body, requestShapes[operation]);

  // One node per recall attempt: fewer leaves attempts without a script, more are never used.
  const { recallFlowAt } = operationRules[operation];
  let flow: unknown = body;
  for (const key of recallFlowAt) flow = isRecord(flow) ? flow[key] : undefined;
  const flowPath = pointer(recallFlowAt);
  if (isRecord(flow) && Array.isArray(flow.nodeList) && typeof flow.recallNum === 'number' && flow.nodeList.length !== flow.recallNum) {
    add('recallNodeCount', `${flowPath}/nodeList`, `has ${flow.nodeList.length} nodes but recallNum is ${flow.recallNum}; the vendor expects one node per recall attempt`);
  }

  if (total > warnings.length) {
    warnings.push({ operation, kind: 'moreWarnings', path: '', message: `${total - warnings.length} more warnings were not itemised` });
  }
  return warnings;
}
