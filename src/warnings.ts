// Advice the contract cannot express as a refusal: the vendor accepts these bodies but does something the
// caller probably did not mean (drops unknown fields, truncates script texts, ignores spare recall nodes).
// Driven by the generated request shapes, so a field added to the contract stops being "unknown" by itself.
import { requestShapes, type ShapeNode } from '../generated/request-shape.js';
import type { VoiceOperation } from './errors.js';

export type VoiceWarningKind = 'unknownField' | 'truncated' | 'recallNodeCount' | 'moreWarnings';

export interface VoiceWarning {
  operation: VoiceOperation;
  kind: VoiceWarningKind;
  /** JSON Pointer to the value concerned, like validation findings (`/numberInfoList/3/text1`). */
  path: string;
  message: string;
}

/** At most this many warnings per request are reported one by one; the rest are summed up in one. */
export const MAX_WARNINGS = 100;

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every warning for a body (only the first `limit` itemised), without changing it. */
export function collectWarnings(operation: VoiceOperation, body: unknown, limit = MAX_WARNINGS): VoiceWarning[] {
  const warnings: VoiceWarning[] = [];
  let total = 0;
  const add = (kind: VoiceWarningKind, path: string, message: string) => {
    total++;
    if (warnings.length < limit) warnings.push({ operation, kind, path, message });
  };

  const walk = (value: unknown, shape: ShapeNode, path: string): void => {
    if (shape.truncatedAfter !== undefined && typeof value === 'string' && value.length > shape.truncatedAfter) {
      add('truncated', path, `is ${value.length} characters long; the vendor keeps only the first ${shape.truncatedAfter}`);
    }
    if (Array.isArray(value)) {
      if (shape.items) for (let i = 0; i < value.length; i++) walk(value[i], shape.items, pointer(path, i));
      return;
    }
    if (!isRecord(value) || (!shape.properties && !shape.additional)) return;
    for (const key of Object.keys(value)) {
      const known = shape.properties?.[key];
      if (known) walk(value[key], known, pointer(path, key));
      else if (!shape.additional) add('unknownField', pointer(path, key), 'is not a field of this request in the contract; the vendor ignores it');
    }
  };
  walk(body, requestShapes[operation], '');

  // One node per recall attempt: fewer leaves attempts without a script, more are never used.
  const flow = operation === 'sendAgentGroupCall' && isRecord(body) ? body.recallFlow : body;
  const flowPath = operation === 'sendAgentGroupCall' ? '/recallFlow' : '';
  if (isRecord(flow) && Array.isArray(flow.nodeList) && typeof flow.recallNum === 'number' && flow.nodeList.length !== flow.recallNum) {
    add('recallNodeCount', `${flowPath}/nodeList`, `has ${flow.nodeList.length} nodes but recallNum is ${flow.recallNum}; the vendor expects one node per recall attempt`);
  }

  if (total > warnings.length) {
    warnings.push({ operation, kind: 'moreWarnings', path: '', message: `${total - warnings.length} more warnings were not itemised` });
  }
  return warnings;
}
