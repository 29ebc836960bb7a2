import { describe, expect, it } from 'vitest';
import { RULE_CONTROLS } from '../../src/model/control-catalog.js';
import { SDK_REMEDIATION, withSdkRemediation } from '../../src/model/sdk-remediation.js';
import * as sdk from '../../src/sdk/index.js';
import { runCli } from '../helpers/cli.js';

describe('the SDK fix in rules explain', () => {
  it('has an entry for every rule, and every SDK function it shows exists in the SDK', () => {
    expect(Object.keys(SDK_REMEDIATION).sort()).toEqual(Object.keys(RULE_CONTROLS).sort());
    const exported = new Set(Object.keys(sdk));
    for (const entry of Object.values(SDK_REMEDIATION)) {
      for (const name of (entry.typescript ?? '').match(/\b(accessControl|auditLog|encryptField|decryptField|recordEvent)\b/g) ?? [])
        expect(exported).toContain(name);
    }
  });

  it('places the SDK section after "How to fix", before the next section', async () => {
    const r = await runCli(['rules', 'explain', 'SOC2-003']);
    expect(r.code).toBe(0);
    const fix = r.stdout.indexOf('## How to fix');
    const sdkFix = r.stdout.indexOf('## Fix with the ComplianceAgent SDK');
    const limits = r.stdout.indexOf('## Known limitations');
    expect(fix).toBeGreaterThan(0);
    expect(sdkFix).toBeGreaterThan(fix);
    expect(limits).toBeGreaterThan(sdkFix);
    expect(r.stdout).toContain('@audit_log(action="password_change", regulation="SOC2")');
    expect(withSdkRemediation('SOC2-005', '# Title\n\ntext\n')).toMatch(/^# Title\n\ntext\n\n## Fix with the ComplianceAgent SDK\n/);
  });
});
