// The CLI's request log: the lines of one turn of the event loop in one write, none kept past it.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { formatAnswer, requestLog } from '../../mocks/request-log.js';
import type { AnswerLog } from '../../mocks/http/server.js';
import { SEND } from './harness.js';

const answered = (code: number | undefined, ms = 0.25): AnswerLog => ({ method: 'POST', path: SEND, status: 200, code, reason: code === 0 ? 'ok' : 'contract', ms });

describe('the request log', () => {
  it('says method, path, status, code, reason and time on one line', () => {
    expect(formatAnswer(answered(-22, 1.234))).toBe(`POST ${SEND} -> 200 code -22 (contract, 1.2 ms)`);
    expect(formatAnswer({ method: 'GET', path: SEND, status: 405, reason: 'method', ms: 0 })).toBe(`GET ${SEND} -> 405 (method, 0.0 ms)`);
  });

  it('writes the lines of one turn in one write, by the next turn', async () => {
    const writes: string[] = [];
    const log = requestLog((text) => writes.push(text));
    for (let i = 0; i < 500; i++) log.answer(answered(0));
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split('\n')).toHaveLength(501); // 500 lines, each ended by a newline
    log.answer(answered(-22));
    await nextTurn();
    expect(writes).toEqual([writes[0], `${formatAnswer(answered(-22))}\n`]);
  });

  it('flush writes what is queued at once, and nothing twice', async () => {
    const writes: string[] = [];
    const log = requestLog((text) => writes.push(text));
    log.answer(answered(0));
    log.flush();
    expect(writes).toEqual([`${formatAnswer(answered(0))}\n`]);
    log.flush();
    await nextTurn();
    expect(writes).toHaveLength(1);
  });
});
