import { describe, expect, it } from 'vitest';
import { emptyFacts, type FileFacts } from '../../src/model/facts.js';
import { sdkUsageOf } from '../../src/model/repo-signals.js';

function file(path: string, module: string, names: string[]): FileFacts {
  const facts = emptyFacts(path, path.endsWith('.py') ? 'python' : 'typescript', 10);
  facts.imports.push({ module, names: names.map((n) => ({ local: n, imported: n })), line: 1 });
  return facts;
}

describe('SDK usage as a repository signal', () => {
  it('lists the files importing the SDK, those that configure it, and the features they use', () => {
    const usage = sdkUsageOf([
      file('app/main.py', 'complianceagent', ['configure', 'audit_log', 'access_control']),
      file('app/models.py', 'complianceagent', ['encrypt_field']),
      file('src/server.ts', 'complianceagent/sdk', ['auditLog']),
      file('src/other.ts', 'complianceagent-extra', ['configure']),
      file('src/app.ts', 'express', ['default']),
    ]);
    expect(usage).toEqual({
      files: ['app/main.py', 'app/models.py', 'src/server.ts'],
      configured: ['app/main.py'],
      features: ['audit-log', 'access-control', 'encryption'],
    });
    expect(sdkUsageOf([file('src/app.ts', 'express', ['default'])])).toBeUndefined();
  });
});
