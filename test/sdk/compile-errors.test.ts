// The exact words `tsc` uses for the mistakes in compile-errors.test-d.ts: the file is compiled in memory
// with its `@ts-expect-error compile-error:` directives taken out, and each error must read as pinned
// here. vitest's typecheck runs the same file and proves each mistake is still an error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from '../support/contract.js';

const file = join(root, 'test', 'sdk', 'compile-errors.test-d.ts');
const MARK = /\/\/ @ts-expect-error compile-error: (.+)$/;

/** The errors `tsc` reports for each marked line of the file, once its directives are comments. */
function compileErrors(): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const lines = readFileSync(file, 'utf8').split('\n');
  const marks = new Map<number, string>(); // line of the mistake → name
  const text = lines
    .map((line, i) => {
      const name = MARK.exec(line)?.[1];
      if (name === undefined) return line;
      marks.set(i + 1, name);
      return line.replace('@ts-expect-error', 'compile error');
    })
    .join('\n');
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, text, version) : getSourceFile.call(host, name, version, ...rest);
  const program = ts.createProgram([file], { ...config.options, noEmit: true }, host);
  const found = new Map<string, string[]>();
  for (const diagnostic of program.getSemanticDiagnostics(program.getSourceFile(file))) {
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start!);
    const name = marks.get(line) ?? `unmarked line ${line + 1}`;
    found.set(name, [...(found.get(name) ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')]);
  }
  return found;
}

const TASK = "'{ appId: string; taskName: string; agentId: number; }'";
const NODE = `'{ source: 3; lan: "EN"; hangUpSms: 0; toSeat: 0; }'`;
const nodeWithoutText = [
  `Type ${NODE} is not assignable to type 'RecallNode'.`,
  `  Type ${NODE} is not assignable to type 'RecallNodeFields & HangUpSmsOff & NoTransfer & VoiceFromText'.`,
  `    Property 'text' is missing in type ${NODE} but required in type 'VoiceFromText'.`,
].join('\n');

/** What tsc says, by the name of the mistake in compile-errors.test-d.ts. */
const pinned: Record<string, string> = {
  'task without numberInfoList': [
    `Argument of type ${TASK} is not assignable to parameter of type 'SendAgentGroupCallRequest'.`,
    `  Property 'numberInfoList' is missing in type ${TASK} but required in type 'SendAgentGroupCallRequest'.`,
  ].join('\n'),
  'task variable without numberInfoList': `Property 'numberInfoList' is missing in type ${TASK} but required in type 'SendAgentGroupCallRequest'.`,
  'recall node without text': nodeWithoutText,
  'update with a node without text': nodeWithoutText,
};

describe('tsc names the contract types in its errors', () => {
  const errors = compileErrors();

  it('every mistake is marked, and every mark pinned', () => {
    expect([...errors.keys()].sort()).toEqual(Object.keys(pinned).sort());
  });

  it.each(Object.entries(pinned))('%s', (name, wording) => {
    expect(errors.get(name)).toEqual([wording]);
  });
});
