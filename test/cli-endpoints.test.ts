import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

/** A copy of a fixture app outside the repository, so paths are relative to the app. */
let APP: string;
beforeAll(() => {
  APP = mkdtempSync(join(tmpdir(), 'ca-endpoints-'));
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'rules', 'SOC2-001', 'koa-app'), APP, { recursive: true });
});

describe('complianceagent endpoints', () => {
  it('prints the inventory as a table sorted by path, with a guard column per kind', async () => {
    const r = await runCli(['endpoints', APP]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'METHOD  PATH         LOCATION      AUTHN                             AUTHZ  RATE LIMIT  VALIDATION  AUDIT  OPT-OUTS  PUBLIC BY DESIGN',
      'GET     /api/orders  server.js:29  yes (jwt({ secret: process.env…)  no     no          no          no',
      'POST    /contact     server.js:15  no                                no     no          no          no',
      'POST    /login       server.js:11  no                                no     no          no          no               sign-in or token endpoint',
      'GET     /open/me     server.js:19  yes (if (!ctx.state.user))        no     no          no          no',
      '',
      '4 endpoints: 2 with authentication, 0 with authorisation, 0 rate-limited, 0 with input validation, 0 with audit logging; 1 public by design.',
      '',
    ]);
  });

  it('writes CSV with yes/no and guard names per kind', async () => {
    const r = await runCli(['endpoints', APP, '--format', 'csv']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'method,path,file,line,framework,authentication,authentication_guards,authorization,authorization_guards,rate-limit,rate-limit_guards,validation,validation_guards,audit,audit_guards,opt_outs,public_by_design',
    );
    expect(lines[1]).toBe('GET,/api/orders,server.js,29,koa,yes,jwt({ secret: process.env.JWT_SECRET }),no,,no,,no,,no,,,');
    expect(lines).toHaveLength(5);
  });

  it('writes JSON with every guard, its scope and location, and the apps; the same tree gives the same bytes', async () => {
    const a = await runCli(['endpoints', APP, '-f', 'json']);
    const b = await runCli(['endpoints', APP, '-f', 'json']);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout) as {
      apps: unknown[];
      endpoints: Array<{ method: string; path: string; guards: Record<string, Array<{ name: string; scope: string; line: number }>> }>;
    };
    expect(report.apps).toEqual([
      {
        framework: 'koa',
        location: { path: 'server.js', line: 5 },
        guards: [{ kind: 'authentication', name: 'jwt({ secret: process.env.JWT_SECRET })', path: 'server.js', line: 26 }],
      },
    ]);
    expect(report.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(['GET /api/orders', 'POST /contact', 'POST /login', 'GET /open/me']);
    expect(report.endpoints[0]!.guards.authentication).toEqual([
      { name: 'jwt({ secret: process.env.JWT_SECRET })', scope: 'app', path: 'server.js', line: 26 },
    ]);
  });

  it('rejects an unknown format with exit code 2', async () => {
    const r = await runCli(['endpoints', APP, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of table, json, csv');
  });
});
