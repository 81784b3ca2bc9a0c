/**
 * `npm test`: every check, in the cheapest order, with the time of each phase printed at the end.
 *
 *   vitest workers  the Worker in workerd against the local endpoint (test/*.test.ts): the long pole,
 *                   one file after another on one database, about one core's worth of work
 *   vitest node     what runs in Node (test/node/): builds, generated docs, migrations
 *   typecheck       tsc -b over the five projects (src is checked once and its declarations serve
 *                   the others), then the generated Worker types against wrangler.toml
 *   db:check        the committed migrations against the schema
 *
 * Everything starts at once: on a two-core machine the workers suite leaves most of the second core
 * idle, and the rest fits in it. Two vitest runs, not one with two projects, because vitest runs
 * projects of different parallelism one after the other. Output of the phases beside the workers
 * suite is printed after it (all of it for one that failed). Any phase that fails fails `npm test`;
 * arguments (`npm test -- test/progress.test.ts`) go to both vitest runs.
 */
import { spawn } from 'node:child_process'

type Phase = { name: string; seconds: number; ok: boolean; output: string }

const started = performance.now()

/** Runs `command` with its output buffered (printed only when it fails) or streamed. */
function run(name: string, command: string, args: string[], stream = false): Promise<Phase> {
  const begun = performance.now()
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: stream ? 'inherit' : 'pipe', shell: false })
    let output = ''
    child.stdout?.on('data', (chunk) => {
      output += chunk
    })
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
    const done = (ok: boolean) => resolve({ name, seconds: (performance.now() - begun) / 1000, ok, output })
    child.on('error', (error) => {
      output += String(error)
      done(false)
    })
    child.on('close', (code) => done(code === 0))
  })
}

const bin = (tool: string) => `node_modules/.bin/${tool}`

const args = process.argv.slice(2)
/** A vitest run of `project` (or of one shard of it: a share of its files). */
function vitest(project: string, stream: boolean, shard?: string) {
  const name = shard ? `${project} ${shard}` : project
  const report = `.local/vitest-report-${name.replace(/\W+/g, '-')}.json`
  return run(
    `vitest ${name}`,
    bin('vitest'),
    [
      'run',
      '--project',
      project,
      ...(shard ? [`--shard=${shard}`] : []),
      // Each run its own JSON report under CI (.ci/run sums them).
      `--outputFile.json=${report}`,
      ...(args.length > 0 ? ['--passWithNoTests', ...args] : []),
    ],
    stream,
  )
}

async function checks(): Promise<Phase[]> {
  const typecheck = await run('typecheck', 'npm', ['run', '--silent', 'typecheck'])
  const migrations = await run('db:check', 'npm', ['run', '--silent', 'db:check'])
  return [typecheck, migrations]
}

const [first, second, node, checked] = await Promise.all([
  vitest('workers', true, '1/2'),
  vitest('workers', false, '2/2'),
  vitest('node', false),
  checks(),
])
const phases = [first, second, node, ...checked]

console.log(second.output)
console.log(node.output)
for (const phase of checked.filter((p) => !p.ok)) {
  console.error(`\n${phase.name} failed:\n${phase.output}`)
}
const total = (performance.now() - started) / 1000
console.log('\nnpm test, by phase (all four at once):')
for (const phase of phases) {
  console.log(
    `  ${phase.name.padEnd(15)} ${phase.seconds.toFixed(1).padStart(6)} s  ${phase.ok ? 'ok' : 'FAILED'}`,
  )
}
console.log(`  ${'total'.padEnd(15)} ${total.toFixed(1).padStart(6)} s`)
process.exitCode = phases.every((p) => p.ok) ? 0 : 1
