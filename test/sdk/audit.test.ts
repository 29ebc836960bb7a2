import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { auditLog, fileSink, memorySink, verifyAuditLog, withAuditContext } from '../../src/sdk/index.js';
import { run } from '../../src/cli/run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ca-sdk-'));

// The test transformer does not lower TC39 decorators, so this class is compiled by TypeScript itself (as a user's
// build would) and then imported: the decorator runs exactly as tsc emits it.
const DECORATED = `
import { auditLog, memorySink } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, '../../src/sdk/index.ts')).href)};
export const sink = memorySink();
export class UserService {
  @auditLog({ action: 'user.delete', regulation: 'SOC2', resource: (id: string) => \`user:\${id}\`, sink })
  async deleteUser(id: string, _reason: string): Promise<string> {
    return \`deleted \${id}\`;
  }
  @auditLog({ action: 'user.fail', sink })
  explode(_secret: string): never {
    throw new RangeError('the message may hold data');
  }
}
`;

async function decoratedService() {
  const js = ts.transpileModule(DECORATED, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  expect(js).not.toContain('@auditLog');
  const file = join(tmp(), 'service.mjs');
  writeFileSync(file, js);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
    sink: ReturnType<typeof memorySink>;
    UserService: new () => { deleteUser(id: string, reason: string): Promise<string>; explode(secret: string): never };
  };
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: process.cwd(),
    env: { CHAIN_KEY: 'k3y' },
    stdoutIsTTY: false,
  });
  return { code, stdout, stderr };
}

describe('auditLog', () => {
  it('as a TS 5 method decorator writes one event per call, with actor and request id from the context and no argument values', async () => {
    const { sink, UserService } = await decoratedService();
    const service = new UserService();
    const result = await withAuditContext({ actor: 'alice', requestId: 'req-1' }, () => service.deleteUser('42', 'ssn 123-45-6789'));
    expect(result).toBe('deleted 42');
    expect(() => service.explode('hunter2')).toThrow(RangeError);
    const [ok, failed] = sink.events;
    expect(sink.events).toHaveLength(2);
    expect(ok).toMatchObject({ action: 'user.delete', actor: 'alice', resource: 'user:42', outcome: 'success', requestId: 'req-1', regulation: 'SOC2' });
    expect(Date.parse(ok!.time)).not.toBeNaN();
    expect(failed).toMatchObject({ action: 'user.fail', actor: null, resource: 'explode', outcome: 'failure', error: 'RangeError' });
    const written = JSON.stringify(sink.events);
    for (const value of ['123-45-6789', 'hunter2', 'the message']) expect(written).not.toContain(value);
  });

  it('as a higher-order function, writes allow-listed arguments only and records a rejected promise as a failure', async () => {
    const sink = memorySink();
    const transfer = auditLog({ action: 'payment.transfer', allowArgs: ['currency'], sink }, async (p: { amount: number; currency: string; iban: string }) => {
      if (p.amount < 0) throw new TypeError('negative');
      return p.amount;
    });
    await transfer({ amount: 5, currency: 'EUR', iban: 'DE89370400440532013000' });
    await expect(transfer({ amount: -1, currency: 'USD', iban: 'DE89370400440532013000' })).rejects.toThrow('negative');
    expect(sink.events.map((e) => [e.outcome, e.args])).toEqual([
      ['success', { currency: 'EUR' }],
      ['failure', { currency: 'USD' }],
    ]);
    expect(JSON.stringify(sink.events)).not.toContain('DE89');
    expect(() => auditLog({ action: '' })).toThrow(TypeError);
  });
});

describe('hash-chained audit file and `complianceagent audit verify`', () => {
  it('writes events that verify, continues the chain across writers, and detects a modified, removed or reordered line', async () => {
    const file = join(tmp(), 'audit.log');
    const first = fileSink(file, { chain: true });
    const act = auditLog({ action: 'data_access', sink: first }, (id: string) => id);
    act('a');
    act('b');
    first.close();
    const second = fileSink(file, { chain: true });
    auditLog({ action: 'data_export', sink: second }, () => 1)();
    second.close();
    const text = readFileSync(file, 'utf8');
    const good = verifyAuditLog(text);
    expect(good).toMatchObject({ ok: true, events: 3, problems: [] });
    expect((await cli(['audit', 'verify', file])).code).toBe(0);

    const lines = text.trimEnd().split('\n');
    const modified = lines.map((l, i) => (i === 1 ? l.replace('"success"', '"failure"') : l)).join('\n');
    expect(verifyAuditLog(modified).problems).toEqual([{ line: 2, reason: 'hash does not match the content (the line was modified)' }]);
    expect(verifyAuditLog([lines[0], lines[2]].join('\n')).ok).toBe(false);
    expect(verifyAuditLog([lines[1], lines[0], lines[2]].join('\n')).ok).toBe(false);
    expect(verifyAuditLog(lines.slice(0, 2).join('\n'), { expectHead: good.head }).ok).toBe(false);

    writeFileSync(file, `${modified}\n`);
    const out = await cli(['audit', 'verify', file]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('line 2: hash does not match');
  });

  it('with a chain key, a chain recomputed without the key does not verify', async () => {
    const file = join(tmp(), 'keyed.log');
    const sink = fileSink(file, { chainKey: 'k3y' });
    auditLog({ action: 'login', sink }, () => 0)();
    sink.close();
    expect(verifyAuditLog(readFileSync(file, 'utf8'), { key: 'k3y' }).ok).toBe(true);
    expect(verifyAuditLog(readFileSync(file, 'utf8')).ok).toBe(false);
    expect((await cli(['audit', 'verify', file, '--key-env', 'CHAIN_KEY'])).code).toBe(0);
    expect((await cli(['audit', 'verify', join(tmp(), 'missing.log')])).code).toBe(2);
  });
});
