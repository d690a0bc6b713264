// The CLI's request log: one line per API answer. Writing to a terminal or a pipe is synchronous on
// Linux, and a write per line cost more than deciding the answer, so the lines of one turn of the event
// loop go out in one write. Lines wait at most until the end of that turn; `flush` writes them at once.
import type { AnswerLog } from './http/server.js';

export interface RequestLog {
  /** Queues the line for one answer. */
  answer(answer: AnswerLog): void;
  /** Writes what is queued now. */
  flush(): void;
}

export function formatAnswer(answer: AnswerLog): string {
  return `${answer.method} ${answer.path} -> ${answer.status}${answer.code !== undefined ? ` code ${answer.code}` : ''} (${answer.reason}, ${answer.ms.toFixed(1)} ms)`;
}

export function requestLog(write: (text: string) => void): RequestLog {
  // Bounded by what one turn of the event loop answers: every line queued is written before the next turn.
  let lines: string[] = [];
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    lines = [];
    write(text);
  };
  return {
    answer(answer) {
      lines.push(formatAnswer(answer));
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}
