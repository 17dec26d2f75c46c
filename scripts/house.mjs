// `node scripts/house.mjs [--json]`: the shape of the code, read from the files alone.
// Prints the import circles among lib/, app/ and scripts/ (none is the rule), the files at
// lib/'s root, and every function body longer than 80 lines (over 150 is a defect).
// tests/repo/house.test.ts holds the rules; this prints what a reader needs to fix them.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['lib', 'app', 'scripts'];
const EXTENSIONS = ['.ts', '.tsx', '.mjs', '.js'];

/** Every TypeScript or module file under the source folders, relative to the root. */
export function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated' && entry.name !== 'node_modules') walk(rel);
      } else if (EXTENSIONS.some((e) => entry.name.endsWith(e)) && !entry.name.endsWith('.d.ts'))
        out.push(rel);
    }
  };
  for (const dir of SOURCE_DIRS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return out.sort();
}

function resolveImport(from, spec) {
  let base;
  if (spec.startsWith('@/')) base = path.join(root, spec.slice(2));
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(path.join(root, from)), spec);
  else return null;
  const candidates = [base, ...EXTENSIONS.map((e) => base + e)];
  candidates.push(...EXTENSIONS.map((e) => path.join(base, 'index' + e)));
  for (const c of candidates)
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return path.relative(root, c);
  return null;
}

/** The static imports of one file (type-only imports included: they still bind the layers). */
function importsOf(file, source) {
  const specs = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      specs.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      specs.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { sf, specs };
}

/** Strongly connected components with more than one file (Tarjan), largest first. */
function circles(graph) {
  let index = 0;
  const stack = [];
  const meta = new Map();
  const found = [];
  const connect = (v) => {
    meta.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!meta.has(w)) {
        connect(w);
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
      } else if (meta.get(w).onStack)
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
    if (meta.get(v).low === meta.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        meta.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!meta.has(v)) connect(v);
  return found.sort((a, b) => b.length - a.length);
}

function functionLengths(file, sf) {
  const long = [];
  const visit = (node) => {
    const isFunction =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node);
    if (isFunction && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.body.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.body.getEnd()).line;
      const lines = end - start + 1;
      if (lines > 80) {
        const name = node.name?.getText(sf) ?? nameFromParent(node, sf);
        long.push({ file, line: start + 1, name, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return long;
}

function nameFromParent(node, sf) {
  const p = node.parent;
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) && p.name)
    return p.name.getText(sf);
  return '(anonymous)';
}

export function readHouse() {
  const files = sourceFiles();
  const graph = new Map();
  const long = [];
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    const { sf, specs } = importsOf(file, source);
    const targets = new Set();
    for (const spec of specs) {
      const target = resolveImport(file, spec);
      if (target && target !== file && files.includes(target)) targets.add(target);
    }
    graph.set(file, [...targets]);
    long.push(...functionLengths(file, sf));
  }
  const libRoot = files.filter((f) => path.dirname(f) === 'lib');
  return {
    files: files.length,
    circles: circles(graph),
    libRoot,
    long: long.sort((a, b) => b.lines - a.lines),
    graph,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const house = readHouse();
  if (process.argv.includes('--json')) {
    const { graph: _graph, ...rest } = house;
    console.log(JSON.stringify(rest, null, 2));
  } else {
    console.log(`${house.files} source files under ${SOURCE_DIRS.join(', ')}.`);
    console.log(`\nImport circles: ${house.circles.length}`);
    for (const c of house.circles) console.log(`  ${c.length} files: ${c.join(' → ')}`);
    console.log(`\nFiles at lib/'s root: ${house.libRoot.length}`);
    for (const f of house.libRoot) console.log(`  ${f}`);
    const over150 = house.long.filter((l) => l.lines > 150);
    console.log(
      `\nFunction bodies over 150 lines: ${over150.length}; over 80: ${house.long.length}`,
    );
    for (const l of house.long) console.log(`  ${l.lines} ${l.file}:${l.line} ${l.name}`);
  }
}
