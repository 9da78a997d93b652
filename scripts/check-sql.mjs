#!/usr/bin/env node
// Refuses a bare `${table.column}` inside a raw `sql` template that holds a subquery or table
// aliases. Drizzle renders such a column without its table name in the select list of a one-table
// query, so `u.department_id = ${departments.id}` silently became `u.department_id = "id"` (that is
// u.id). Write `${qualified(departments.id)}` (src/server/db/qualified.ts) instead. A template that
// names the table itself as a source (`from ${tickets}`) owns its columns and may use them bare.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const files = [];
function walk(dir) {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(f)) files.push(p);
  }
}
// Directories to check: src/server by default (a test points it at a fixture).
const dirs = process.argv.length > 2 ? process.argv.slice(2).map((d) => path.resolve(d)) : [path.join(root, 'src/server')];
for (const d of dirs) walk(d);

/** Names bound to Drizzle tables in a file: imports from db/schema, and the schema files' own pgTable constants. */
function tableNames(source) {
  const names = new Set();
  for (const st of source.statements) {
    const fromSchema = (spec) => /\/db\/schema(\/|$)/.test(spec) || (source.fileName.includes('/db/schema/') && spec.startsWith('./'));
    if (ts.isImportDeclaration(st) && fromSchema(st.moduleSpecifier.text)) {
      const bindings = st.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.add(el.name.text);
    }
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (d.initializer && ts.isCallExpression(d.initializer) && /^pg(Table|View)$/.test(d.initializer.expression.getText(source))) {
          names.add(d.name.getText(source));
        }
      }
    }
  }
  return names;
}

// Quoted SQL strings ('tickets.internal_notes') are data, not aliases.
const unquote = (text) => text.replace(/'(?:[^']|'')*'/g, "''");
const RAW_QUERY = /\bselect\b|\b[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\b/i;

const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('sql`') && !text.includes('sql<')) continue;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const tables = tableNames(source);
  if (tables.size === 0) continue;
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'sql' && ts.isTemplateExpression(node.template)) {
      const t = node.template;
      const statics = unquote([t.head.text, ...t.templateSpans.map((s) => s.literal.text)].join(' '));
      if (RAW_QUERY.test(statics)) {
        const owned = new Set(t.templateSpans.filter((s) => ts.isIdentifier(s.expression)).map((s) => s.expression.text));
        for (const span of t.templateSpans) {
          const e = span.expression;
          if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && tables.has(e.expression.text) && !owned.has(e.expression.text)) {
            const { line } = source.getLineAndCharacterOfPosition(e.getStart(source));
            problems.push(`${path.relative(root, file)}:${line + 1}: \${${e.getText(source)}} in a raw subquery; write \${qualified(${e.getText(source)})}`);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

if (problems.length) {
  console.error(`Unqualified columns in raw SQL (${problems.length}):\n${problems.join('\n')}`);
  process.exit(1);
}
