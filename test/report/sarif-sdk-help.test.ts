import { describe, expect, it } from 'vitest';
import { withSdkHelp } from '../../src/report/sarif-rules.js';
import { runCli } from '../helpers/cli.js';

describe('SARIF rule help carries the SDK fix (issue 20)', () => {
  it('adds the SDK section after "How to fix" and keeps a missing doc missing', () => {
    const doc = '# Title\n\n## How to fix\n\nUse the framework.\n\n## References\n\n- x\n';
    const help = withSdkHelp((id) => (id === 'SOC2-003' ? doc : undefined));
    const text = help('SOC2-003')!;
    expect(text.indexOf('## Fix with the ComplianceAgent SDK')).toBeGreaterThan(text.indexOf('Use the framework.'));
    expect(text.indexOf('## Fix with the ComplianceAgent SDK')).toBeLessThan(text.indexOf('## References'));
    expect(help('SOC2-999')).toBeUndefined();
  });

  it('shows it in the SARIF the CLI writes', async () => {
    const out = await runCli(['scan', 'fixtures/rules/SOC2-003', '--format', 'sarif', '--fail-on', 'none']);
    const rules = JSON.parse(out.stdout).runs[0].tool.driver.rules as Array<{ id: string; help: { markdown: string } }>;
    const logging = rules.find((r) => r.id === 'SOC2-003')!;
    expect(logging.help.markdown).toContain('## Fix with the ComplianceAgent SDK');
    expect(logging.help.markdown).toContain('@audit_log(');
  }, 60_000);
});
