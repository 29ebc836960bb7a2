import type { PyNode as Node } from './syntax.js';
import type { ImportFact } from '../../model/facts.js';
import type { ImportBinding } from '../../flow/summaries.js';

const IMPORT_TYPES = ['import_statement', 'import_from_statement'];

/** `import a.b as c` → local 'c'; `import a.b` → local 'a' (what Python binds). */
function importedModule(node: Node): { module: string; local: string } | null {
  if (node.type === 'dotted_name') return { module: node.text, local: node.text.split('.')[0]! };
  if (node.type === 'aliased_import') {
    const name = node.childForFieldName('name');
    const alias = node.childForFieldName('alias');
    if (name && alias) return { module: name.text, local: alias.text };
  }
  return null;
}

/** Every import statement of a module, in source order (from the tree's per-type index). */
export function extractPythonImports(root: Node): ImportFact[] {
  const out: ImportFact[] = [];
  for (const node of root.descendantsOfType(IMPORT_TYPES)) {
    if (!node) continue;
    const line = node.startPosition.row + 1;
    if (node.type === 'import_statement') {
      for (const child of node.childrenForFieldName('name')) {
        const m = child ? importedModule(child) : null;
        if (m) out.push({ module: m.module, names: [{ local: m.local, imported: '*' }], line });
      }
      continue;
    }
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) continue;
    const names: ImportFact['names'] = [];
    for (const child of node.childrenForFieldName('name')) {
      if (!child) continue;
      if (child.type === 'dotted_name') names.push({ local: child.text, imported: child.text });
      else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name');
        const alias = child.childForFieldName('alias');
        if (name && alias) names.push({ local: alias.text, imported: name.text });
      }
    }
    if (node.namedChildren.some((c) => c?.type === 'wildcard_import')) names.push({ local: '*', imported: '*' });
    out.push({ module: moduleNode.text, names, line });
  }
  return out;
}

/** Local name → what it imports (`from a import b as c` → c: { module: 'a', imported: 'b' }). */
export function importBindings(imports: readonly ImportFact[]): Map<string, ImportBinding> {
  const map = new Map<string, ImportBinding>();
  for (const fact of imports) for (const n of fact.names) map.set(n.local, { module: fact.module, imported: n.imported });
  return map;
}
