// The files the mock serves besides the API: the bundled contract and the docs pages, from the package's
// dist/ folder. Each is held in memory once, as one Buffer that every answer shares (a queued answer
// holds a reference, not a copy), and read again only when the file on disk changes (`npm run docs`
// while the mock runs shows up on reload).
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's dist/ folder, from where this file is: `<package>/mocks/http/` when run from the
 * sources, `<package>/dist/mocks/http/` when compiled; the assets are in `<package>/dist/` either way.
 */
export function defaultAssetsDir(): string {
  const twoUp = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return basename(twoUp) === 'dist' ? twoUp : resolve(twoUp, 'dist');
}

export interface Asset {
  /** The file's bytes, or undefined when it does not exist. */
  get(): Promise<Buffer | undefined>;
  readonly file: string;
  readonly contentType: string;
}

export function asset(file: string, contentType: string): Asset {
  let cached: { version: string; bytes: Buffer } | undefined;
  let reading: Promise<Buffer | undefined> | undefined;

  async function load(): Promise<Buffer | undefined> {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return (cached = undefined);
    const version = `${info.mtimeMs}:${info.size}`;
    if (cached?.version === version) return cached.bytes;
    const bytes = await readFile(file).catch(() => undefined);
    cached = bytes ? { version, bytes } : undefined;
    return bytes;
  }

  return {
    file,
    contentType,
    // Requests arriving together share one look at the disk.
    get: () => (reading ??= load().finally(() => (reading = undefined))),
  };
}

export interface Assets {
  contractJson: Asset;
  contractYaml: Asset;
  /** The API's docs page. */
  docs: Asset;
  /** The mock control API's docs page (built when the repository has that contract). */
  mockDocs: Asset;
}

export function assetsIn(dir: string): Assets {
  return {
    contractJson: asset(resolve(dir, 'openapi.json'), 'application/json; charset=utf-8'),
    contractYaml: asset(resolve(dir, 'openapi.yaml'), 'application/yaml; charset=utf-8'),
    docs: asset(resolve(dir, 'docs', 'index.html'), 'text/html; charset=utf-8'),
    mockDocs: asset(resolve(dir, 'docs', 'mock', 'index.html'), 'text/html; charset=utf-8'),
  };
}
