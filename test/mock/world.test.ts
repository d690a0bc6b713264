// The scenario world: one case per rule and per scenario, from the contract's tables (x-scenarios on the
// intent tables, x-requiredBy on the callInformation keys), and the tables against the contract's prose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioIntents, scenarioKeys } from '../../generated/world.js';
import type { MockServer } from '../../mocks/index.js';
import { bundledContract } from '../support/contract.js';
import { post, SEND, startMock, UPDATE } from './harness.js';

let mock: MockServer;
let sequence = 0;
beforeAll(async () => {
  mock = await startMock({
    agents: [
      { agentId: 41, scenario: 'debtCollection' },
      { agentId: 42, scenario: 'emergencyContactRelay' },
      { agentId: 43, scenario: 'marketing' },
    ],
  });
});
afterAll(() => mock?.close());

const debt = { name: 'Name', borrow_total_money: '5000', due_date: '2026-02-02' };
const number = (callInformation?: Record<string, string>, extra: Record<string, string> = {}) => ({ calleeNumber: '6281234567890', ...(callInformation ? { callInformation } : {}), ...extra });
const task = (agentId: number, numbers: object[], recallFlow?: object) => ({
  appId: '2Xql9RBI',
  taskName: `world ${++sequence}`,
  agentId,
  numberInfoList: numbers,
  ...(recallFlow ? { recallFlow } : {}),
});
const byIntent = (codes: string[], nodeAgent: number | string = 41) => ({ recallType: 3, recallInterval: 30, recallNum: 1, recallIntent: codes, nodeList: [{ agentId: nodeAgent }] });
const send = async (body: object) => (await post(mock, SEND, body)).body;

describe('agents the world does not know: -60', () => {
  it('in the task', async () => {
    const answer = await send(task(99, [number(debt)]));
    expect(answer).toMatchObject({ code: -60, msg: 'The AI speech template does not exist' });
    expect(answer.detail).toContain('agentId 99');
    expect(mock.requests().at(-1)).toMatchObject({ reason: 'world', code: -60 });
  });

  it('in a recall node, as a digit string too', async () => {
    const answer = await send(task(41, [number(debt)], { recallType: 1, recallInterval: 30, recallNum: 1, nodeList: [{ agentId: '41' }, { agentId: '99' }] }));
    expect(answer.code).toBe(-60);
    expect(answer.detail).toContain('/recallFlow/nodeList/1');
  });
});

describe('debtCollection (agent 41)', () => {
  it('a number without a required key: -22 with a finding at that number, naming the key', async () => {
    const answer = await send(task(41, [number(debt), number({ name: 'Only a name' }), number(debt)]));
    expect(answer.code).toBe(-22);
    expect(answer.findings).toEqual([
      { path: '/numberInfoList/1/callInformation', keyword: 'required', message: 'needs "borrow_total_money" (or text2 on the number): agent 41\'s scenario, debtCollection, requires it' },
      { path: '/numberInfoList/1/callInformation', keyword: 'required', message: 'needs "due_date" (or text3 on the number): agent 41\'s scenario, debtCollection, requires it' },
    ]);
    expect(answer.findingsTotal).toBe(2);
  });

  it('the keys given as their variables (text1–text3) on the number will do', async () => {
    expect((await send(task(41, [number(undefined, { text1: 'Name', text2: '5000', text3: '2026-02-02' })]))).code).toBe('0');
    expect((await send(task(41, [number({ name: 'Name' }, { text2: '5000', text3: '2026-02-02' })]))).code).toBe('0');
  });

  it('findings are bounded however many numbers lack keys', async () => {
    const answer = await send(task(41, Array.from({ length: 1000 }, () => number())));
    expect(answer.findings).toHaveLength(50);
    expect(answer.findingsTotal).toBe(3000);
  });

  it('recall by intent: the generic and both debt-collection tables fit; another scenario\'s code is -68', async () => {
    expect((await send(task(41, [number(debt)], byIntent(['99998', '99999', '205', '2017'])))).code).toBe('0');
    const answer = await send(task(41, [number(debt)], byIntent(['205', '305', '403'])));
    expect(answer).toMatchObject({ code: -68, msg: 'AI Agent industry intent does not match recall intent' });
    expect(answer.detail).toContain('"305", "403"');
  });

  it("the intents fit the task's own agent, whatever a recall node's agent is (a judgement call of recallIntent)", async () => {
    expect((await send(task(41, [number(debt)], byIntent(['205'], 43)))).code).toBe('0');
    expect((await send(task(43, [number()], byIntent(['205'], 41)))).code).toBe(-68);
  });
});

describe('emergencyContactRelay (agent 42)', () => {
  it('needs emergency_contact_name as well (or text10)', async () => {
    const answer = await send(task(42, [number(debt)], byIntent(['403'], 42)));
    expect(answer.findings.map((f: { message: string }) => f.message)).toEqual(['needs "emergency_contact_name" (or text10 on the number): agent 42\'s scenario, emergencyContactRelay, requires it']);
    expect((await send(task(42, [number({ ...debt, emergency_contact_name: 'Contact' })], byIntent(['403'], 42)))).code).toBe('0');
    expect((await send(task(42, [number(debt, { text10: 'Contact' })])))).toMatchObject({ code: '0' });
  });

  it('its own table and the generic one fit; a debt-collection code is -68', async () => {
    expect((await send(task(42, [number({ ...debt, emergency_contact_name: 'C' })], byIntent(['99999', '4010'], 42)))).code).toBe('0');
    expect((await send(task(42, [number({ ...debt, emergency_contact_name: 'C' })], byIntent(['205'], 42)))).code).toBe(-68);
  });
});

describe('marketing (agent 43)', () => {
  it('needs no callInformation key', async () => {
    expect((await send(task(43, [number()])))).toMatchObject({ code: '0' });
  });

  it('its own table and the generic one fit; a debt-collection code is -68', async () => {
    expect((await send(task(43, [number()], byIntent(['305', '99998'], 43)))).code).toBe('0');
    expect((await send(task(43, [number()], byIntent(['205'], 43)))).code).toBe(-68);
  });
});

describe('the world and the rest of the mock', () => {
  it('a recall-flow update is not held to it (its page lists neither -60 nor -68)', async () => {
    const answer = await post(mock, UPDATE, { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [{ source: 1, voiceFileId: 'a.wav', hangUpSms: 0, toSeat: 0, agentId: 99 }] });
    expect(answer.body.code).toBe(0);
  });

  it('the contract is checked first: an invalid task is -22 from the contract, not the world', async () => {
    const answer = await send(task(99, []));
    expect(answer.code).toBe(-22);
    expect(mock.requests().at(-1)!.reason).toBe('contract');
  });

  it('reset returns to the world the mock started with; PUT state can open it', async () => {
    mock.setState({ agents: [] });
    expect((await send(task(99, [number()])))).toMatchObject({ code: '0' });
    mock.reset();
    expect((await send(task(99, [number()]))).code).toBe(-60);
  });
});

describe('the world tables, from the contract', () => {
  const schemas = bundledContract().bundled.components.schemas;

  it('x-requiredBy agrees with the table in CallInformation\'s description', () => {
    const rows = (schemas.CallInformation.description as string).split('\n').filter((line) => /^\| `/.test(line));
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      const [key, variable, , debtCollection, relay] = row.split('|').slice(1, -1).map((cell) => cell.trim().replace(/`/g, ''));
      const requiredBy = (scenario: 'debtCollection' | 'emergencyContactRelay') => scenarioKeys[scenario].some((k) => k.key === key && k.variable === variable);
      expect(requiredBy('debtCollection'), key).toBe(debtCollection === 'required');
      expect(requiredBy('emergencyContactRelay'), key).toBe(relay === 'required');
    }
    expect(scenarioKeys.marketing).toEqual([]);
  });

  it('every intent code belongs to some scenario, and the generic ones to all', () => {
    const all = new Set(Object.values(scenarioIntents).flat());
    for (const table of ['GenericIntentCode', 'DebtCollectionIntentCode', 'DebtCollectionDetailedIntentCode', 'MarketingIntentCode', 'EmergencyContactRelayIntentCode']) {
      for (const code of schemas[table].enum) expect(all.has(code), `${table} ${code}`).toBe(true);
    }
    for (const codes of Object.values(scenarioIntents)) expect(codes).toEqual(expect.arrayContaining(['99998', '99999']));
  });
});
