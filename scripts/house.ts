/**
 * `npm run house`: the counts that say whether the middle of the house stays clear, each measured
 * from the code (the TypeScript syntax tree, not a text search), each held under a ceiling:
 *
 *   context-imports       files outside the HTTP edge that import Hono's Context (the domain takes values)
 *   positional-results    batch results read by position: `before[2]`, `.at(-1)`, `const [, x] = await …batch(…)`
 *   queries-in-routes     drizzle-orm imports and query-builder calls in src/routes/ (statements live in the domain)
 *   zod-openapi-values    value imports of @hono/zod-openapi in src/ (it extends zod and brings zod-to-openapi along)
 *   longest-function      lines of the longest function in src/ and web/
 *   readme-lines          lines of README.md (a guide; the design lives in docs/)
 *
 * A count over its ceiling fails the run (`npm run lint` runs this, and so does CI). A ceiling is
 * lowered here when the code gets better, so that nothing slides back; the goal is what the house
 * should reach.
 */
import { readFileSync } from 'node:fs'
import ts from 'typescript'
import { isMain } from './lib/main.ts'

type Check = { ceiling: number; goal: number }

const CHECKS = {
  'context-imports': { ceiling: 0, goal: 0 },
  'positional-results': { ceiling: 0, goal: 0 },
  'queries-in-routes': { ceiling: 0, goal: 0 },
  'zod-openapi-values': { ceiling: 0, goal: 0 },
  'longest-function': { ceiling: 100, goal: 100 },
  'readme-lines': { ceiling: 258, goal: 350 },
} satisfies Record<string, Check>

type Name = keyof typeof CHECKS
export type Finding = { check: Name; where: string }

/** Where Hono's Context belongs: the HTTP edge. */
const EDGE = [
  /^src\/routes\//,
  /^src\/middleware\//,
  /^src\/session\/middleware\.ts$/,
  /^src\/(app|index|errors|router)\.ts$/,
]

/** Calls that build or run a statement. */
const QUERY_CALLS = new Set(['select', 'selectDistinct', 'insert', 'update', 'delete', 'execute', 'batch'])

const lineOf = (source: ts.SourceFile, node: ts.Node) =>
  source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1

const importsFrom = (node: ts.Node, module: string): node is ts.ImportDeclaration =>
  ts.isImportDeclaration(node) &&
  ts.isStringLiteral(node.moduleSpecifier) &&
  node.moduleSpecifier.text === module

/** Names an import brings in as values (a `type` import, or a `type` specifier, brings none). */
function valueNames(node: ts.ImportDeclaration): string[] {
  const clause = node.importClause
  if (!clause || clause.isTypeOnly) return []
  const names = clause.name ? [clause.name.text] : []
  const bindings = clause.namedBindings
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text)
  if (bindings && ts.isNamedImports(bindings))
    for (const element of bindings.elements) if (!element.isTypeOnly) names.push(element.name.text)
  return names
}

function importsContext(node: ts.ImportDeclaration): boolean {
  const bindings = node.importClause?.namedBindings
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.some((element) => (element.propertyName ?? element.name).text === 'Context')
  )
}

/** Calls whose result is indexed by nature: regular expressions, strings and arrays. */
const INDEXED_BY_NATURE = new Set(['exec', 'match', 'split', 'find', 'filter', 'map', 'slice', 'sort'])

/**
 * A batch's results read by position: `before[2]` or `sent.after.at(-1)` (a batch's parts, by the
 * names the write protocol gives them), a statement pair's `touchSession(…)[1]`, or a batch
 * destructured as an array, `const [, x] = await db.batch([…])` (also through retryReads/asserting).
 * A syntactic rule, so it names what it reads: `after[0]` of a cursor is not a batch.
 */
function positional(node: ts.Node, source: ts.SourceFile): boolean {
  const text = (expression: ts.Node) => expression.getText(source)
  const batchPart = (expression: ts.Node) => /(^before$|\.(before|after)$)/.test(text(expression))
  if (ts.isElementAccessExpression(node) && ts.isNumericLiteral(node.argumentExpression)) {
    const object = node.expression
    if (batchPart(object)) return true
    // A plain function's result (a statement pair's), not a method's (`text.trim()[0]`).
    if (!ts.isCallExpression(object) || node.questionDotToken || !ts.isIdentifier(object.expression))
      return false
    return !INDEXED_BY_NATURE.has(object.expression.text)
  }
  if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'at'
  ) {
    return batchPart(node.expression.expression)
  }
  if (ts.isVariableDeclaration(node) && ts.isArrayBindingPattern(node.name) && node.initializer) {
    return /[bB]atch\b|[bB]atch\(|\basserting\(/.test(text(node.initializer))
  }
  return false
}

function functionName(node: ts.Node, source: ts.SourceFile): string {
  const named = node as { name?: ts.Node }
  if (named.name) return named.name.getText(source)
  const parent = node.parent
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(source)
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(source)
  return '(anonymous)'
}

type Measured = { findings: Finding[]; longest: { lines: number; where: string } }

function measureFile(path: string, text: string, measured: Measured) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true)
  const inSrc = path.startsWith('src/')
  const atEdge = EDGE.some((pattern) => pattern.test(path))
  const inRoutes = path.startsWith('src/routes/')
  const found = (check: Name, node: ts.Node) =>
    measured.findings.push({ check, where: `${path}:${lineOf(source, node)}` })

  const visit = (node: ts.Node) => {
    if (inSrc && importsFrom(node, 'hono') && !atEdge && importsContext(node)) found('context-imports', node)
    if (inSrc && importsFrom(node, '@hono/zod-openapi') && valueNames(node).length > 0)
      found('zod-openapi-values', node)
    if (inRoutes && importsFrom(node, 'drizzle-orm')) found('queries-in-routes', node)
    if (
      inRoutes &&
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      QUERY_CALLS.has(node.expression.name.text) &&
      /\bdb\b/.test(node.expression.expression.getText(source))
    ) {
      found('queries-in-routes', node)
    }
    if (inSrc && positional(node, source)) found('positional-results', node)
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const lines = source.getLineAndCharacterOfPosition(node.end).line + 2 - lineOf(source, node)
      if (lines > measured.longest.lines)
        measured.longest = { lines, where: `${path}:${lineOf(source, node)} ${functionName(node, source)}` }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}

/** Every TypeScript file of src/ and web/. */
function sourceFiles(): string[] {
  return [...ts.sys.readDirectory('src', ['.ts']), ...ts.sys.readDirectory('web', ['.ts'])]
    .map((file) => file.replace(/^\.\//, ''))
    .filter((file) => !file.endsWith('.d.ts'))
    .sort()
}

/** The house's counts over `files` (path → text), by default every file of src/ and web/. */
export function measureHouse(
  files: [path: string, text: string][] = sourceFiles().map((path) => [path, readFileSync(path, 'utf8')]),
) {
  const measured: Measured = { findings: [], longest: { lines: 0, where: '' } }
  for (const [path, text] of files) measureFile(path, text, measured)
  const count = (check: Name) => measured.findings.filter((finding) => finding.check === check).length
  const counts: Record<Name, number> = {
    'context-imports': count('context-imports'),
    'positional-results': count('positional-results'),
    'queries-in-routes': count('queries-in-routes'),
    'zod-openapi-values': count('zod-openapi-values'),
    'longest-function': measured.longest.lines,
    'readme-lines': readFileSync('README.md', 'utf8').trimEnd().split('\n').length,
  }
  return { counts, findings: measured.findings, longest: measured.longest.where }
}

if (isMain(import.meta.url)) {
  const verbose = process.argv.includes('--list')
  const { counts, findings, longest } = measureHouse()
  let over = 0
  for (const [name, { ceiling, goal }] of Object.entries(CHECKS) as [Name, Check][]) {
    const value = counts[name]
    const state =
      value > ceiling ? 'OVER' : value <= goal ? 'done' : value < ceiling ? 'lower the ceiling' : ''
    if (value > ceiling) over++
    const detail = name === 'longest-function' ? `  (${longest})` : ''
    console.log(
      `${name.padEnd(20)} ${String(value).padStart(5)}  ceiling ${ceiling}, goal ${goal}  ${state}${detail}`,
    )
    if (verbose || value > ceiling)
      for (const finding of findings.filter((f) => f.check === name)) console.log(`    ${finding.where}`)
  }
  if (over > 0) {
    console.error(
      `${over} of the house's counts went over their ceiling (see above; --list shows every place).`,
    )
    process.exitCode = 1
  }
}
