// Writes the docs' code samples from the contract's request examples: for every named request example
// of every operation, one TypeScript (SDK) sample and one signed curl sample that send exactly that
// example's body, and the operation's `x-codeSamples` list pointing at them. Redoc shows one request
// example at a time (the list above the samples) and cannot tie an x-codeSamples entry to it, so each
// sample is its own entry, labelled with its example ("SDK · minimal task"), and its first comment says
// which example it sends.
//
// The one change to a body: `taskName` gets a suffix (the time), because the vendor and the mock refuse a
// name used before (-41) and a sample should run twice. test/docs checks both, in the page and on the
// wire.
//
//   node scripts/code-samples.mjs          rewrite spec/code_samples/ and the x-codeSamples lists
//   node scripts/code-samples.mjs --check  exit 1 if anything would change
//
// Lines stay within WIDTH characters: the samples column of the docs shows 52 at 1280 px.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = join(root, 'spec');
const samplesDir = join(spec, 'code_samples');

export const WIDTH = 52;
/** The address the samples call by default: the mock's (`npm start`). The mock puts its real one on the page. */
export const MOCK_URL = 'http://127.0.0.1:4010';
export const PRODUCTION_URL = 'https://api.itniotech.com';

/** The short name each example goes by in the samples list (the summaries are too long for it). */
export const SHORT_NAMES = {
  vendorExample: "vendor's example",
  minimalTask: 'minimal task',
  scheduledMarketingTask: 'scheduled task',
  debtCollectionRecallByIntent: 'debt collection',
  textToSpeechWithSms: 'speech + SMS',
  newUploadWithKeypressTransfer: 'upload + transfer',
};

/** Per operation: what the SDK call returns and how the samples report success. */
const OPERATIONS = {
  sendAgentGroupCall: {
    note: ['taskName gets the time as a suffix: a name', 'used before is refused with -41.'],
    call: (body) => [`const keyId = await voice.sendAgentGroupCall(${body});`, 'console.log(`task created: keyId ${keyId}`);'],
    answer: ['Answer (always HTTP 200):', '{"code":0,"msg":"success","data":<keyId>};', 'a negative code is a refusal.'],
  },
  updateRecallFlow: {
    note: ["keyId 299 is the vendor's example task, known", 'to the mock; use the keyId your send returned.'],
    call: (body) => [`await voice.updateRecallFlow(${body});`, "console.log('recall flow replaced');"],
    answer: ['Answer (always HTTP 200):', '{"code":0,"msg":"success"}; a negative code', 'is a refusal.'],
  },
};

export const LANGUAGES = [
  { lang: 'TypeScript', dir: 'TypeScript', ext: 'ts', prefix: 'SDK' },
  { lang: 'curl', dir: 'curl', ext: 'sh', prefix: 'curl' },
];

export const labelOf = (language, exampleKey) => `${language.prefix} · ${SHORT_NAMES[exampleKey]}`;

// ---------------------------------------------------------------------------------------------------
// The contract: operations, their paths and their named request examples, read from spec/ as written.

function readYaml(file) {
  return parse(readFileSync(file, 'utf8'));
}

/** Every operation with named JSON request examples, in the contract's order. */
export function operations() {
  const doc = readYaml(join(spec, 'openapi.yaml'));
  const found = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const pathFile = join(spec, item.$ref);
    const operation = readYaml(pathFile).post;
    const examples = operation?.requestBody?.content?.['application/json']?.examples ?? {};
    const named = Object.entries(examples).map(([key, example]) => {
      const resolved = example.$ref ? readYaml(join(dirname(pathFile), example.$ref)) : example;
      if (!(key in SHORT_NAMES)) throw new Error(`request example ${key} of ${operation.operationId} has no short name: add one to SHORT_NAMES in scripts/code-samples.mjs`);
      return { key, summary: resolved.summary ?? key, description: resolved.description ?? '', value: resolved.value };
    });
    if (!(operation.operationId in OPERATIONS)) throw new Error(`no sample template for ${operation.operationId} in scripts/code-samples.mjs`);
    found.push({ operationId: operation.operationId, path, pathFile, dir: item.$ref.replace(/^paths\//, '').replace(/\.yaml$/, ''), examples: named });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Text helpers.

/** Words of `text` in lines of at most `width` characters, each line starting with `prefix`. */
function wrap(text, prefix, width = WIDTH) {
  const lines = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}

/** Markdown as plain text for a comment: `code` and *emphasis* marks dropped. */
const plain = (markdown) => markdown.replace(/`([^`]*)`/g, '$1').replace(/\*\*?([^*]+)\*\*?/g, '$1');

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A value as source text, prettier-style: an object or array on one line when it fits in WIDTH at its
 * place, else one entry per line. `style` says how keys and strings are written.
 */
function literal(value, style, indent, room, path = []) {
  const special = style.special?.(path, value);
  if (special !== undefined) return special;
  if (value === null || typeof value !== 'object') return style.scalar(value);
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((item, index) => [index, item]) : Object.entries(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return open + close;
  const keyText = (key) => (isArray ? '' : `${style.key(key)}: `);
  const inline = entries.map(([key, item]) => keyText(key) + literal(item, style, '', Infinity, [...path, key]));
  const oneLine = isArray ? `[${inline.join(', ')}]` : `{ ${inline.join(', ')} }`;
  if (!inline.some((text) => text.includes('\n')) && oneLine.length <= room) return oneLine;
  const inner = `${indent}  `;
  const lines = entries.map(([key, item]) => {
    const head = inner + keyText(key);
    return head + literal(item, style, inner, style.width - head.length - style.comma.length, [...path, key]) + style.comma;
  });
  if (!style.trailingComma) lines[lines.length - 1] = lines[lines.length - 1].slice(0, -style.comma.length);
  return `${open}\n${lines.join('\n')}\n${indent}${close}`;
}

const tsString = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const tsTemplate = (text) => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

// The SDK call sits in a try block: its body is indented 2 more than it is written here.
const TS_STYLE = {
  width: WIDTH - 2,
  key: (key) => (IDENTIFIER.test(key) ? key : tsString(key)),
  scalar: (value) => (typeof value === 'string' ? tsString(value) : JSON.stringify(value)),
  comma: ',',
  trailingComma: true,
  special: (path, value) => (path.length === 1 && path[0] === 'taskName' ? `\`${tsTemplate(value)} \${Date.now()}\`` : undefined),
};

/** JSON inside a single-quoted shell word: a `'` in a string closes and reopens the quotes. */
const shellJson = (value) => JSON.stringify(value).replace(/'/g, `'\\''`);

const CURL_STYLE = {
  width: WIDTH,
  key: (key) => shellJson(key),
  scalar: (value) => shellJson(value),
  comma: ',',
  trailingComma: false,
  special: (path, value) => (path.length === 1 && path[0] === 'taskName' ? `${shellJson(`${value} `).slice(0, -1)}'"$TS"'"` : undefined),
};

/** The sample's first lines: which example it sends (the browser test reads the key in brackets). */
function header(comment, example) {
  const lines = wrap(`Sends the request example "${example.summary}" (${example.key}).`, comment);
  if (example.description) lines.push(...wrap(plain(example.description), comment));
  return [...lines, ''];
}

/** Lines past WIDTH, except a body's `key: value` lines: a long value cannot be cut (the page wraps it). */
function checkWidth(file, text) {
  const long = text.split('\n').filter((line) => line.length > WIDTH && !/^\s+("[^"]*"|[\w$]+): /.test(line));
  if (long.length) throw new Error(`${file}: lines over ${WIDTH} characters:\n${long.join('\n')}`);
  return text;
}

// ---------------------------------------------------------------------------------------------------
// The two samples.

export function typescriptSample(operation, example) {
  const body = literal(example.value, TS_STYLE, '', 0);
  const [call, success] = OPERATIONS[operation.operationId].call(body);
  return [
    ...header('// ', example),
    'import {',
    '  createVoiceClient,',
    '  VoiceApiError,',
    "} from 'itnio-voice';",
    '',
    '// The local mock (npm start) and the vendor\'s test',
    '// credentials. In production, leave out baseUrl and',
    '// use your own key and secret, on a server only:',
    '// whoever holds the secret can sign as you.',
    'const voice = createVoiceClient({',
    "  apiKey: process.env.ITNIO_API_KEY ?? 'bDqJFiq9',",
    '  apiSecret:',
    "    process.env.ITNIO_API_SECRET ?? '7bz1lzh9',",
    '  baseUrl:',
    '    process.env.ITNIO_BASE_URL ??',
    `    '${MOCK_URL}',`,
    '});',
    '',
    'try {',
    '  // The SDK signs the request and checks the body',
    '  // against the contract before sending it.',
    ...OPERATIONS[operation.operationId].note.map((line) => `  // ${line}`),
    ...`${call}\n${success}`.split('\n').map((line) => `  ${line}`),
    '} catch (error) {',
    '  // Refusals arrive as HTTP 200 with a negative',
    '  // code; the SDK throws them as VoiceApiError.',
    '  if (error instanceof VoiceApiError) {',
    "    console.error('refused', error.code, error.msg);",
    '  }',
    '  throw error;',
    '}',
    '',
  ].join('\n');
}

export function curlSample(operation, example) {
  const body = literal(example.value, CURL_STYLE, '', 0);
  return [
    ...header('# ', example).map((line) => line || '#'),
    "# The local mock (npm start) and the vendor's test",
    '# credentials. In production, set API_KEY and',
    '# API_SECRET to yours and BASE_URL to',
    `# ${PRODUCTION_URL}`,
    `BASE_URL="\${BASE_URL:-${MOCK_URL}}"`,
    'API_KEY="${API_KEY:-bDqJFiq9}"',
    'API_SECRET="${API_SECRET:-7bz1lzh9}"',
    '',
    '# Sign = md5(apiKey + apiSecret + timestamp) in',
    '# lowercase hex; the timestamp is Unix seconds.',
    'TS=$(date +%s)',
    `SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" |`,
    "  md5sum | cut -d' ' -f1)",
    '',
    ...OPERATIONS[operation.operationId].note.map((line) => `# ${line}`),
    'curl -sS --fail-with-body -X POST \\',
    `  "$BASE_URL${operation.path}" \\`,
    "  -H 'Content-Type: application/json' \\",
    '  -H "Api-Key: $API_KEY" \\',
    '  -H "Timestamp: $TS" \\',
    '  -H "Sign: $SIGN" \\',
    `  -d '${body}'`,
    ...OPERATIONS[operation.operationId].answer.map((line) => `# ${line}`),
    '',
  ].join('\n');
}

/** The operation's x-codeSamples list, as it ends its path file. */
export function codeSamplesBlock(operation) {
  const lines = ['  x-codeSamples:'];
  for (const language of LANGUAGES) {
    for (const example of operation.examples) {
      lines.push(
        `    - lang: ${language.lang}`,
        `      label: ${JSON.stringify(labelOf(language, example.key))}`,
        '      source:',
        `        $ref: ../code_samples/${language.dir}/${operation.dir}/${example.key}.${language.ext}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Every file this script owns, path → content. */
export function expectedFiles() {
  const files = new Map();
  for (const operation of operations()) {
    for (const example of operation.examples) {
      for (const language of LANGUAGES) {
        const file = join(samplesDir, language.dir, operation.dir, `${example.key}.${language.ext}`);
        const text = language.ext === 'ts' ? typescriptSample(operation, example) : curlSample(operation, example);
        files.set(file, checkWidth(relative(root, file), text));
      }
    }
    const current = readFileSync(operation.pathFile, 'utf8');
    const at = current.search(/^  x-codeSamples:\n/m);
    if (at === -1) throw new Error(`${relative(root, operation.pathFile)} has no x-codeSamples list to rewrite`);
    const rest = current.slice(at).split('\n').slice(1);
    if (rest.some((line) => line && !line.startsWith('    '))) throw new Error(`${relative(root, operation.pathFile)}: x-codeSamples must be the operation's last key`);
    files.set(operation.pathFile, current.slice(0, at) + codeSamplesBlock(operation));
  }
  return files;
}

/** Sample files under spec/code_samples/ that no example produces any more. */
function strayFiles(expected) {
  const stray = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!expected.has(path)) stray.push(path);
    }
  };
  if (existsSync(samplesDir)) walk(samplesDir);
  return stray;
}

/** What differs from what is on disk: files to write and files to delete. */
export function differences() {
  const expected = expectedFiles();
  const changed = [...expected].filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([file]) => file);
  return { expected, changed, stray: strayFiles(expected) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { expected, changed, stray } = differences();
  if (process.argv.includes('--check')) {
    for (const file of [...changed, ...stray]) console.error(`out of date: ${relative(root, file)}`);
    if (changed.length || stray.length) {
      console.error('run `node scripts/code-samples.mjs`');
      process.exitCode = 1;
    }
  } else {
    for (const file of changed) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, expected.get(file));
      console.error(`wrote ${relative(root, file)}`);
    }
    for (const file of stray) {
      rmSync(file);
      console.error(`removed ${relative(root, file)}`);
    }
  }
}
