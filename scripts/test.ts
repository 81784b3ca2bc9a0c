/**
 * `npm test`: every check, in the cheapest order, with the time of each phase printed at the end.
 *
 *   vitest workers  the Worker in workerd against the local endpoint (test/*.test.ts): the long pole,
 *                   one file after another on one database, a little over one core's worth of work
 *   vitest node     what runs in Node (test/node/): builds, generated docs, migrations
 *   typecheck       tsc -b over the five projects (src is checked once and its declarations serve
 *                   the others), then the generated Worker types against wrangler.toml
 *   db:check        the committed migrations against the schema
 *
 * All four start at once, the last three at a low CPU priority: on a two-core machine the workers
 * suite runs as fast as it does alone, and the rest fills the core it leaves. (Measured: the same
 * with equal priorities took 94 s instead of 74, and splitting the workers suite into two shards with
 * a database each, 92 s: the machine was then out of CPU.) Two vitest runs, not one with two projects,
 * because vitest runs projects of different parallelism one after the other. The output of the phases
 * beside the workers suite is printed after it (all of it for one that failed). Any phase that fails
 * fails `npm test`; arguments (`npm test -- test/progress.test.ts`) go to both vitest runs.
 */
import './lib/node-version.ts'
import { spawn } from 'node:child_process'
import { setPriority } from 'node:os'

/** The niceness of the phases beside the workers suite: they yield the CPU to it. */
const BESIDE = 15

type Phase = { name: string; seconds: number; ok: boolean; output: string }

const started = performance.now()

/** Runs `command`, its output streamed or buffered (printed after the workers suite). */
function run(name: string, command: string, args: string[], stream: boolean, priority = 0): Promise<Phase> {
  const begun = performance.now()
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: stream ? 'inherit' : 'pipe', shell: false })
    // Set before the child starts its own processes (npm takes a moment to), which inherit it.
    if (priority !== 0 && child.pid !== undefined) {
      try {
        setPriority(child.pid, priority)
      } catch {
        // It already finished (a failure to start): nothing to yield.
      }
    }
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

const args = process.argv.slice(2)
const vitest = (project: string, stream: boolean, priority = 0) =>
  run(
    `vitest ${project}`,
    'node_modules/.bin/vitest',
    [
      'run',
      '--project',
      project,
      // Each run its own JSON report under CI (.ci/run sums them).
      `--outputFile.json=.local/vitest-report-${project}.json`,
      ...(args.length > 0 ? ['--passWithNoTests', ...args] : []),
    ],
    stream,
    priority,
  )

async function checks(): Promise<Phase[]> {
  const typecheck = await run('typecheck', 'npm', ['run', '--silent', 'typecheck'], false, BESIDE)
  const migrations = await run('db:check', 'npm', ['run', '--silent', 'db:check'], false, BESIDE)
  return [typecheck, migrations]
}

const [workers, node, checked] = await Promise.all([
  vitest('workers', true),
  vitest('node', false, BESIDE),
  checks(),
])
const phases = [workers, node, ...checked]

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
