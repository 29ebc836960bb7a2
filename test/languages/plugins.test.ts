import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/engine/extract.js';
import { LANGUAGE_PLUGINS, detectByName, pluginFor } from '../../src/languages/index.js';
import { JS_FEATURES } from '../../src/languages/javascript/features.js';
import { PY_FEATURES } from '../../src/languages/python/features.js';
import { ownFrame, runFeatures, type ExtractorFault } from '../../src/languages/plugin.js';

describe('the language registry', () => {
  it('detects every language through its plugin, configuration names first', () => {
    expect(detectByName('app.ts')).toBe('typescript');
    expect(detectByName('server.cjs')).toBe('javascript');
    expect(detectByName('views.py')).toBe('python');
    expect(detectByName('dockerfile.js')).toBe('config');
    expect(detectByName('.env.production')).toBe('config');
    expect(detectByName('schema.prisma')).toBe('config');
    expect(detectByName('.py')).toBe('text');
    // Every other file is text, last in the registry (issue 15): the provider-pattern pass of SOC2-002.
    expect(detectByName('readme.md')).toBe('text');
    expect(detectByName('photo.jpg')).toBeNull();
  });

  it('names each plugin once, and every language has exactly one plugin', () => {
    expect(new Set(LANGUAGE_PLUGINS.map((p) => p.id)).size).toBe(LANGUAGE_PLUGINS.length);
    for (const language of ['javascript', 'typescript', 'python', 'config', 'text'] as const) expect(pluginFor(language).languages).toContain(language);
  });

  it('lists as many feature names as each language runs feature extractors', () => {
    expect(pluginFor('javascript').features).toHaveLength(JS_FEATURES.length);
    expect(pluginFor('python').features).toHaveLength(PY_FEATURES.length);
  });
});

describe('extractor faults are contained', () => {
  it('records the failing extractor, its message and our frame, and runs the next one', () => {
    const ran: string[] = [];
    const faults: ExtractorFault[] = [];
    function crashes(): void {
      throw new TypeError("Cannot read properties of undefined (reading 'type')");
    }
    runFeatures([() => ran.push('first'), crashes, () => ran.push('last')], {}, faults);
    expect(ran).toEqual(['first', 'last']);
    expect(faults).toEqual([
      { extractor: 'crashes', message: "Cannot read properties of undefined (reading 'type')", at: expect.stringMatching(/^languages\/plugin\.ts:\d+$/) },
    ]);
  });

  it('finds the first frame in our code', () => {
    const error = new Error('x');
    error.stack =
      'Error: x\n    at f (/opt/node_modules/lib/a.js:1:1)\n    at g (/home/u/complianceagent/dist/src/languages/javascript/flow.js:120:7)\n    at h (/home/u/complianceagent/src/engine/scan.ts:9:1)';
    expect(ownFrame(error)).toBe('languages/javascript/flow.js:120');
  });

  it('turns a crashed feature extractor into an internal scan error; the file keeps its other facts', async () => {
    function extractBroken(): void {
      throw new TypeError("Cannot read properties of undefined (reading 'type')");
    }
    JS_FEATURES.unshift(extractBroken);
    try {
      const result = await extractFacts({
        path: 'src/app.ts',
        language: 'typescript',
        text: "import express from 'express';\nconst password = 'Zq8vH2mK9pL4xR7t';\nconst app = express();\napp.get('/a', (req, res) => res.send('ok'));\n",
      });
      expect(result.errors).toEqual([
        expect.objectContaining({
          path: 'src/app.ts',
          kind: 'internal',
          message: expect.stringMatching(
            /^the extractBroken extractor failed \(Cannot read properties of undefined \(reading 'type'\)\) at .+:\d+; its facts are missing/,
          ),
        }),
      ]);
      expect(result.facts?.bindings.map((b) => b.name)).toContain('password');
      expect(result.facts?.jsRoutes).toBeDefined();
    } finally {
      JS_FEATURES.shift();
    }
  });
});
