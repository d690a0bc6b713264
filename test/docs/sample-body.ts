// Reads a code sample the way a reader does: which request example it says it sends, and the body it
// sends, taken from its text (a curl sample's -d word, a TypeScript sample's object literal). The browser
// test reads the samples off the page, the samples test off the disk; both compare with the example.

/** The sample's leading comment, as one line of text. */
function leadingComment(source: string): string {
  const lines: string[] = [];
  for (const line of source.split('\n')) {
    const comment = /^\s*(?:\/\/|#)\s?(.*)$/.exec(line);
    if (!comment) break;
    lines.push(comment[1]!);
  }
  return lines.join(' ');
}

/** The key of the request example a sample says it sends: `Sends the request example "…" (key).` */
export function claimedExample(source: string): string | undefined {
  return /Sends the request example "[^"]*" \((\w+)\)/.exec(leadingComment(source))?.[1];
}

/**
 * The body a curl sample sends: its `-d` word read as the shell reads it (single-quoted runs, and the
 * double-quoted `"$TS"` spliced in for the taskName), with `$TS` as given.
 */
export function curlBody(source: string, ts: string): unknown {
  const start = source.indexOf("-d '");
  if (start === -1) throw new Error('no -d word in the curl sample');
  let word = '';
  let at = start + 3;
  while (at < source.length && !/\s/.test(source[at]!)) {
    const quote = source[at]!;
    if (quote === "'") {
      const end = source.indexOf("'", at + 1);
      word += source.slice(at + 1, end);
      at = end + 1;
    } else if (quote === '"') {
      const end = source.indexOf('"', at + 1);
      word += source.slice(at + 1, end).replace(/\$\{?TS\}?/g, ts);
      at = end + 1;
    } else if (quote === '\\') {
      word += source[at + 1];
      at += 2;
    } else {
      word += quote;
      at += 1;
    }
  }
  return JSON.parse(word);
}

/** From `{` at `open`, the index just past its matching `}`, skipping strings, template literals and comments. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let at = open; at < text.length; at += 1) {
    const char = text[at]!;
    if (char === "'" || char === '"' || char === '`') {
      for (at += 1; at < text.length && text[at] !== char; at += text[at] === '\\' ? 2 : 1);
    } else if (char === '/' && text[at + 1] === '/') {
      at = text.indexOf('\n', at);
    } else if (char === '{') depth += 1;
    else if (char === '}' && (depth -= 1) === 0) return at + 1;
  }
  throw new Error('unbalanced braces in the TypeScript sample');
}

/** The body a TypeScript sample passes to the SDK (`voice.<operation>({…})`), evaluated. */
export function typescriptBody(source: string): unknown {
  const call = /voice\.\w+\(\{/.exec(source);
  if (!call) throw new Error('no voice.<operation>({…}) call in the TypeScript sample');
  const open = call.index + call[0].length - 1;
  // Only literals and `${Date.now()}` in it: the samples are ours, and the test compares what it yields.
  return new Function(`return (${source.slice(open, matchingBrace(source, open))});`)();
}

/**
 * The one documented difference between a sample's body and its example: `taskName` gets a suffix, the
 * time in digits (a name used before is refused with -41). Returns the body with the suffix checked and
 * taken off, or throws when the suffix is not that.
 */
export function withoutTaskNameSuffix(sent: unknown, example: unknown): unknown {
  const name = (example as { taskName?: unknown })?.taskName;
  if (typeof name !== 'string') return sent;
  const body = { ...(sent as Record<string, unknown>) };
  const suffix = String(body.taskName).slice(name.length);
  if (!String(body.taskName).startsWith(name) || !/^ \d{10,13}$/.test(suffix)) {
    throw new Error(`taskName ${JSON.stringify(body.taskName)} is not the example's ${JSON.stringify(name)} plus a time`);
  }
  body.taskName = name;
  return body;
}
