#!/usr/bin/env node
// Fails when relative imports under src/ form a cycle (modules must depend on each other one way).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../src');
const files = [];
(function walk(dir) {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f)) files.push(p);
  }
})(root);

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec.replace(/\.js$/, ''));
  for (const c of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) if (existsSync(c)) return c;
  return null;
}

const graph = new Map();
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const deps = [];
  // Type-only imports vanish at run time and do not form cycles that matter.
  for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
    const target = resolve(f, m[1]);
    if (target) deps.push(target);
  }
  graph.set(f, deps);
}

const state = new Map();
const cycles = [];
function visit(node, stack) {
  state.set(node, 'open');
  stack.push(node);
  for (const next of graph.get(node) ?? []) {
    if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
    else if (!state.has(next)) visit(next, stack);
  }
  stack.pop();
  state.set(node, 'done');
}
for (const f of files) if (!state.has(f)) visit(f, []);

if (cycles.length) {
  for (const c of cycles) console.error(`import cycle: ${c.map((p) => path.relative(root, p)).join(' -> ')}`);
  process.exit(1);
}
console.log(`no import cycles in ${files.length} files`);
