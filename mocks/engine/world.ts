// The scenario world: the AI agents the mock knows, each with its business scenario, and what the vendor
// then asks of a new task for it (the tables are the contract's, generated into generated/world.ts). With
// no agents the world is open and every agentId is accepted. Only new tasks are held to it: the vendor's
// recall-flow update page lists neither -60 nor -68.
import type { Agent } from '../../generated/mock-control.js';
import type { SendAgentGroupCallRequest } from '../../generated/openapi.js';
import { scenarioIntents, scenarioKeys, type Scenario } from '../../generated/world.js';
import type { ValidationFinding } from '../../src/validation.js';

export type WorldVerdict =
  | { ok: true }
  | { ok: false; refusal: 'speechTemplateNotFound' | 'recallIntentMismatch'; detail: string }
  | { ok: false; refusal: 'parameterException'; findings: ValidationFinding[]; total: number };

const intentSets = Object.fromEntries(Object.entries(scenarioIntents).map(([scenario, codes]) => [scenario, new Set(codes)])) as Record<Scenario, Set<string>>;

const isGiven = (value: unknown) => value !== undefined && value !== null;

/** A short list for a message: the first few values and how many more. */
function few(values: readonly unknown[], count = 5): string {
  const shown = values.slice(0, count).map((v) => JSON.stringify(v)).join(', ');
  return values.length > count ? `${shown} and ${values.length - count} more` : shown;
}

export class World {
  #agents = new Map<number, Scenario>();

  constructor(agents: readonly Agent[] = []) {
    this.replace(agents);
  }

  replace(agents: readonly Agent[]): void {
    this.#agents = new Map(agents.map((agent) => [agent.agentId, agent.scenario]));
  }

  list(): Agent[] {
    return [...this.#agents].map(([agentId, scenario]) => ({ agentId, scenario }));
  }

  /**
   * A valid new task against the world, in this order: every agentId known (-60), a recall by intent
   * naming only codes of the agent's scenario (-68), every number carrying the keys the scenario requires
   * (-22, a finding per number and key, at most `maxFindings` kept).
   */
  checkTask(task: SendAgentGroupCallRequest, maxFindings: number): WorldVerdict {
    if (this.#agents.size === 0) return { ok: true };
    const known = few([...this.#agents.keys()]);
    const scenario = this.#agents.get(task.agentId);
    if (scenario === undefined) {
      return { ok: false, refusal: 'speechTemplateNotFound', detail: `agentId ${task.agentId} is not an agent of this mock's world (it knows ${known})` };
    }
    const nodes = task.recallFlow?.nodeList ?? [];
    for (let i = 0; i < nodes.length; i++) {
      const raw = (nodes[i] as { agentId?: unknown }).agentId;
      if (raw === undefined || raw === null) continue;
      if (!this.#agents.has(Number(raw))) {
        return { ok: false, refusal: 'speechTemplateNotFound', detail: `agentId ${JSON.stringify(raw)} of /recallFlow/nodeList/${i} is not an agent of this mock's world (it knows ${known})` };
      }
    }

    const flow = task.recallFlow as { recallType?: number; recallIntent?: string[] } | undefined;
    if (flow?.recallType === 3) {
      const foreign = (flow.recallIntent ?? []).filter((code) => !intentSets[scenario].has(code));
      if (foreign.length > 0) {
        return { ok: false, refusal: 'recallIntentMismatch', detail: `intent codes ${few(foreign)} are not among the ${scenario} scenario's of agent ${task.agentId}` };
      }
    }

    const required = scenarioKeys[scenario];
    if (required.length === 0) return { ok: true };
    const findings: ValidationFinding[] = [];
    let total = 0;
    task.numberInfoList.forEach((number, index) => {
      const info = (number.callInformation ?? {}) as Record<string, unknown>;
      for (const { key, variable } of required) {
        if (isGiven(info[key]) || isGiven((number as Record<string, unknown>)[variable])) continue;
        total++;
        if (findings.length < maxFindings) {
          findings.push({ path: `/numberInfoList/${index}/callInformation`, keyword: 'required', message: `needs "${key}" (or ${variable} on the number): agent ${task.agentId}'s scenario, ${scenario}, requires it` });
        }
      }
    });
    return total === 0 ? { ok: true } : { ok: false, refusal: 'parameterException', findings, total };
  }
}
