import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptField, staticKeyProvider, verifyAuditLog } from '../../src/sdk/index.js';

const PYTHON_SDK = join(import.meta.dirname, '..', '..', 'sdk', 'python');
const probe = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' });
const hasPython = probe.status === 0;

// The two SDKs share the log format, the hash chain and the ciphertext format: what one writes, the other reads.
describe.skipIf(!hasPython)('the Python SDK and complianceagent/sdk read each other (needs python3 with cryptography)', () => {
  it('a chain written by Python verifies in JS (and fails when edited); a value encrypted by Python decrypts in JS', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ca-py-')), 'audit.log');
    const key = Buffer.alloc(32, 7).toString('base64');
    const script = `
import sys
sys.path.insert(0, ${JSON.stringify(PYTHON_SDK)})
from complianceagent import audit_log, audit_context, file_sink, encrypt_value, StaticKeyProvider
sink = file_sink(${JSON.stringify(file)}, chain=True)
@audit_log(action="data_access", regulation="SOC2", sink=sink)
def get_customer_data(customer_id):
    return customer_id
with audit_context(actor="ad\\u00e9le", request_id="r-1"):
    get_customer_data("c-1")
    get_customer_data("c-2")
print(encrypt_value("123-45-6789", StaticKeyProvider("k1", {"k1": ${JSON.stringify(key)}}), context="customers.ssn"))
`;
    const out = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(verifyAuditLog(text)).toMatchObject({ ok: true, events: 2 });
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ action: 'data_access', actor: 'ad\u00e9le', requestId: 'r-1', outcome: 'success' });
    expect(verifyAuditLog(text.replace('"r-1"', '"r-9"')).ok).toBe(false);
    const token = out.stdout.trim();
    expect(decryptField(token, { keys: staticKeyProvider({ active: 'k1', keys: { k1: key } }), context: 'customers.ssn' })).toBe('123-45-6789');
  });
});
