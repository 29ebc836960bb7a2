import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';

const JS = `import express from 'express';
import { exec } from 'child_process';
import crypto from 'crypto';
const app = express();
app.post('/run', (req, res) => { exec('ls ' + req.body.dir); prisma.user.delete({ where: { id: 1 } }); res.send('ok'); });
export function hashPassword(password) { return crypto.createHash('md5').update(password).digest('hex'); }
`;

const PY = `from flask import Flask, request
import hashlib, os
app = Flask(__name__)

@app.route("/run", methods=["POST"])
def run():
    os.system("ls " + request.form["dir"])
    db.session.delete(User.query.get(1))
    return "ok"

def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()
`;

describe('test files: endpoints, data flow and the audit call graph are not extracted', () => {
  it.each([
    ['javascript', 'src/server.js', 'src/__tests__/server.test.js', JS],
    ['python', 'app/views.py', 'tests/test_views.py', PY],
  ] as const)('%s: the same text at a test path has no routes, flows or audit facts, and keeps the rest', async (language, appPath, testPath, text) => {
    const app = (await extractFacts({ path: appPath, language, text })).facts!;
    const test = (await extractFacts({ path: testPath, language, text })).facts!;
    const routes = language === 'python' ? 'pyRoutes' : 'jsRoutes';
    // The app file has each of them, so their absence in the test file is the test path's doing.
    expect(app[routes]).toBeDefined();
    expect(app.dataFlow).toBeDefined();
    expect(app.auditFacts?.functions.length).toBeGreaterThan(0);
    expect(test[routes]).toBeUndefined();
    expect(test.dataFlow).toBeUndefined();
    expect(test.auditFacts).toBeUndefined();
    // Base facts and data protection (SOC2-005 reports test files at low) are the same.
    expect(test.imports).toEqual(app.imports);
    expect(test.strings).toEqual(app.strings);
    expect(test.cryptoUses).toEqual(app.cryptoUses);
    expect(test.cryptoUses?.length).toBeGreaterThan(0);
  });
});
