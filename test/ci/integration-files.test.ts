import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every `--flag` a CI definition passes to `scan` must be one `scan --help` lists. */
async function unknownFlags(commandLines: string): Promise<string[]> {
  const help = (await runCli(['scan', '--help'])).stdout;
  const used = [...new Set(commandLines.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? [])];
  return used.filter((flag) => !new RegExp(`(^|[\\s,])${flag}(?![\\w-])`, 'm').test(help));
}

describe('CI definitions', () => {
  it('action.yml is a composite action whose scan step uses only real flags', async () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      runs: { using: string; steps: Array<{ id?: string; run?: string; uses?: string }> };
    };
    expect(action.runs.using).toBe('composite');
    const scanStep = action.runs.steps.find((s) => s.id === 'scan');
    expect(scanStep?.run).toContain('bin/complianceagent.js" scan');
    expect(
      await unknownFlags(
        scanStep!
          .run!.split('\n')
          .filter((l) => l.includes('flags'))
          .join('\n'),
      ),
    ).toEqual([]);
    expect(action.runs.steps.map((s) => s.uses).filter(Boolean)).toContain('github/codeql-action/upload-sarif@v3');
  });

  it('the pre-commit hooks run scan with real flags', async () => {
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{ id: string; entry: string; language: string }>;
    expect(hooks.map((h) => `${h.id}: ${h.entry.split(' ').slice(0, 2).join(' ')} (${h.language})`)).toEqual([
      'complianceagent: complianceagent scan (node)',
      'complianceagent-full: complianceagent scan (node)',
    ]);
    expect(await unknownFlags(hooks.map((h) => h.entry).join('\n'))).toEqual([]);
  });

  it('the GitLab CI snippet in docs/ci.md uses only real flags', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
    const snippet = /## GitLab CI\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    expect(snippet).toContain('complianceagent scan');
    expect(await unknownFlags(snippet.slice(snippet.indexOf('complianceagent scan')))).toEqual([]);
  });
});
