import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Reading and editing a facts-cache pack in tests (the format is in src/engine/cache-entry.ts): a header line,
 * then one line per entry, `<mac> TAB <meta JSON> TAB <content JSON>`. Written independently of the engine's reader,
 * so a test that edits a pack through it edits what is on disk, not what the engine would like to see.
 */

export interface PackLine {
  mac: string;
  meta: { path: string; key: string; values: Array<{ o: number; n: number; m: string; h: string }>; patches: number[] };
  /** The stored content, parsed (masks in place of the values). */
  content: { facts: Record<string, unknown> & { bindings: Array<{ name: string; value?: unknown }>; cryptoUses?: unknown[] }; errors: unknown[] };
}

export interface Pack {
  header: { format: string; version: number };
  entries: Record<string, PackLine>;
}

export function parsePack(text: string): Pack {
  const [header, ...lines] = text.split('\n').filter((l) => l !== '');
  const entries: Record<string, PackLine> = {};
  for (const line of lines) {
    const [mac, meta, content] = line.split('\t');
    const parsed = { mac: mac!, meta: JSON.parse(meta!), content: JSON.parse(content!) } as PackLine;
    entries[parsed.meta.path] = parsed;
  }
  return { header: JSON.parse(header!), entries };
}

export function formatPack(pack: Pack): string {
  const lines = Object.values(pack.entries).map((e) => `${e.mac}\t${JSON.stringify(e.meta)}\t${JSON.stringify(e.content)}`);
  return `${JSON.stringify(pack.header)}\n${lines.map((l) => `${l}\n`).join('')}`;
}

export const readPack = (file: string): Pack => parsePack(readFileSync(file, 'utf8'));
export const writePack = (file: string, pack: Pack): void => writeFileSync(file, formatPack(pack));
