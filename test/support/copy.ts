// A copy of this working tree as a clone of it would hold it: the files git knows (tracked, or new and
// not ignored), nothing built, with this checkout's node_modules linked in (installing is not what the
// tests that use it check).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './contract.js';

export function cleanCopy(destination: string, { linkNodeModules = true } = {}): string {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  // A deleted file is still listed until the deletion is committed.
  for (const file of files) if (existsSync(join(root, file))) cpSync(join(root, file), join(destination, file), { recursive: true });
  if (linkNodeModules) symlinkSync(join(root, 'node_modules'), join(destination, 'node_modules'), 'dir');
  return destination;
}
