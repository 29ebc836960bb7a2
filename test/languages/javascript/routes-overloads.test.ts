import { describe, expect, it } from 'vitest';
import { extractJavaScript } from '../../../src/languages/javascript/extract.js';

describe('functions without a body', () => {
  it('an overload signature or abstract method does not crash the routes extractor; the plugin behind it is read', () => {
    const text = `export abstract class Service {
  abstract mount(app: Router): void;
}
export function routes(app: Router): void;
export function routes(app: any) {
  app.get('/health', (req, res) => res.send('ok'));
}
`;
    const { facts, faults } = extractJavaScript('src/routes.ts', 'typescript', text);
    expect(faults).toEqual([]);
    expect(facts.jsRoutes?.scopes.map((s) => `${s.id} ${s.exportedAs.join(',')}`)).toEqual(['plugin@5 routes']);
  });
});
