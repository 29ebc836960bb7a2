import { FlowCollector } from '../../flow/taint.js';
import { LocalSummaries, isRelativeModule, summariseFunctions } from '../../flow/summaries.js';
import type { JsFeatureInput } from './feature-input.js';
import { JsFlowAnalyzer } from './flow-analyzer.js';
import { classFieldTypes, importBindings, instanceNames, topLevelFunctions } from './flow-functions.js';
import { FlowPrescan } from './flow-prescan.js';
import { plainRequestParams } from './flow-request-param.js';

/**
 * SOC2-004 facts for JS/TS: an intra-procedural taint walk per function in source order, with summaries of the
 * file's top-level functions and class methods (which parameters reach which sink, which flow to the return
 * value), computed twice so a helper calling a helper is followed. Calls into relative imports are recorded for
 * the project model to resolve against the other file's summaries. A pre-scan of the file's identifiers and
 * calls (flow-prescan.ts) leaves out the functions and statements where the walk cannot find anything.
 */

export function extractJsFlows(input: JsFeatureInput): void {
  const program = input.ast.program;
  const collector = new FlowCollector();
  const summaries = new LocalSummaries();
  const { functions, exported } = topLevelFunctions(program);
  const imports = importBindings(input);
  const analyzer = new JsFlowAnalyzer(input.text, imports, summaries, collector, exported);
  const instances = instanceNames(input.index);
  analyzer.setMethods(functions, classFieldTypes(program), instances);
  analyzer.setRequestParams(
    plainRequestParams(
      input.index,
      input.text,
      input.facts.imports.map((i) => i.module),
    ),
  );
  // Calls into relative imports (directly, on an injected field or on an instance) may forward a parameter.
  const forwards = (parts: string[]): boolean =>
    exported.size > 0 &&
    ((parts[0] === 'this' && parts.length === 3) ||
      (instances.get(parts[0]!) ?? ' fresh') !== ' fresh' ||
      isRelativeModule(imports.get(parts[0]!)?.module ?? 'x'));
  const prescan = new FlowPrescan(input.index, functions, (parts) => analyzer.resolvedCallee(parts), forwards);
  summariseFunctions(functions, summaries, (f) => {
    if (prescan.needsSummary(f)) analyzer.analyzeFunction(f.name, f.node);
  });
  if (prescan.fileHasSource) analyzer.analyzeProgram(program, prescan);
  const flows = collector.result();
  if (flows) input.facts.dataFlow = flows;
}
