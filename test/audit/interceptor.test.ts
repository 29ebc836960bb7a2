import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import missingAuditTrail from '../../rules/SOC2-010-missing-audit-trail.js';
import { analyze } from '../../src/engine/analyze.js';
import { extractFacts } from '../../src/engine/extract.js';

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'rules', 'SOC2-010');

async function scan(folder: string): Promise<string[]> {
  const dir = join(ROOT, folder, 'src');
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    const { facts } = await extractFacts({ path: `src/${name}`, language: 'typescript', text });
    files.push({ facts: facts!, text });
  }
  const { findings } = analyze({ files, rules: [missingAuditTrail] });
  return findings.map(
    (f) =>
      `${f.location.path}:${f.location.startLine} ${f.confidence} ${f.message.split(' via ')[0]} ${f.message.includes('interceptor AuditInterceptor') ? 'interceptorOnly' : 'unaudited'}`,
  );
}

it('an app-wide audit interceptor lowers the confidence and says so; an unregistered one counts for nothing', async () => {
  expect(await scan('nestjs-audit-interceptor')).toEqual([
    'src/orders.controller.ts:11 low Create of order interceptorOnly',
    'src/orders.controller.ts:17 low Delete of order interceptorOnly',
  ]);
  expect(await scan('nestjs-interceptor-unregistered')).toEqual(['src/orders.controller.ts:11 medium Create of order unaudited']);
});
