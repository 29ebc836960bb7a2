/**
 * The layer rules of docs/architecture.md, checked in `npm test` (`npm run lint:layers`). Arrows point down:
 * cli → config, engine, report, controls, evidence, rules; engine → discovery, languages, flow, model;
 * languages → flow, model; rules → rule-api → model, flow; report, controls, evidence, config → model;
 * everything may import types.ts, errors.ts and util/; types.ts and errors.ts import nothing; nothing imports
 * cli; no cycles.
 */
const BASE = ['^src/types\\.ts$', '^src/errors\\.ts$', '^src/util/'];
const layer = (name, from, allowed) => ({
  name: `layer-${name}`,
  comment: `${name} may import only: ${allowed.join(', ') || 'nothing of the project'}`,
  severity: 'error',
  from: { path: from },
  to: { path: '^(src|rules)/', pathNot: [from, ...allowed] },
});
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles', from: {}, to: { circular: true } },
    { name: 'nothing-imports-cli', severity: 'error', from: { pathNot: '^src/cli/' }, to: { path: '^src/cli/' } },
    layer('types', '^src/(types|errors)\\.ts$', []),
    layer('util', '^src/util/', ['^src/types\\.ts$', '^src/errors\\.ts$']),
    layer('model', '^src/model/', BASE),
    layer('flow', '^src/flow/', ['^src/model/', ...BASE]),
    layer('languages', '^src/languages/', ['^src/flow/', '^src/model/', ...BASE]),
    layer('discovery', '^src/discovery/', ['^src/languages/index\\.ts$', '^src/model/', ...BASE]),
    layer('engine', '^src/engine/', ['^src/discovery/', '^src/languages/', '^src/flow/', '^src/model/', ...BASE]),
    layer('rule-api', '^src/rule-api\\.ts$', ['^src/model/', '^src/flow/', ...BASE]),
    layer('rules', '^rules/', ['^src/rule-api\\.ts$']),
    layer('config', '^src/config/', ['^src/model/', ...BASE]),
    layer('controls', '^src/controls/', ['^src/model/', ...BASE]),
    layer('report', '^src/report/', ['^src/controls/', '^src/model/', ...BASE]),
    // The SDK (complianceagent/sdk) ships inside applications: it imports nothing of the scanner, and the scanner
    // imports nothing of it except the pure hash-chain verifier behind `complianceagent audit verify`.
    layer('sdk', '^src/sdk/', []),
    {
      name: 'nothing-imports-sdk',
      severity: 'error',
      comment: 'only cli/audit-command.ts may import the SDK, and only its pure audit-chain module',
      from: { path: '^(src|rules)/', pathNot: '^src/sdk/' },
      to: { path: '^src/sdk/', pathNot: '^src/sdk/audit-chain\\.ts$' },
    },
    {
      name: 'sdk-chain-only-for-audit-command',
      severity: 'error',
      from: { path: '^(src|rules)/', pathNot: ['^src/sdk/', '^src/cli/audit-command\\.ts$'] },
      to: { path: '^src/sdk/audit-chain\\.ts$' },
    },
    layer('evidence', '^src/evidence/', ['^src/report/', '^src/controls/', '^src/discovery/', '^src/model/', ...BASE]),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
