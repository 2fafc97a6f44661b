/**
 * Module hooks (Node's `module.register`) that strip the types of every .ts
 * file outside node_modules with TypeScript's own transpiler, once per file
 * at load time, as Node 24 does itself: the code that runs is the same.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2023,
  verbatimModuleSyntax: true,
};

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts') || url.includes('/node_modules/')) {
    return nextLoad(url, context);
  }
  const { source } = await nextLoad(url, { ...context, format: 'module' });
  const { outputText } = ts.transpileModule(String(source), {
    compilerOptions: OPTIONS,
    fileName: fileURLToPath(url),
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
