/**
 * `npm run size`: bundles the Worker as `wrangler deploy` would (`--dry-run --outdir dist`, no
 * upload, no account), prints the raw and gzip sizes with the largest packages in the bundle, and the
 * start-up CPU time of the bundle as `wrangler check startup` profiles it (median of three local
 * runs; the edge's CPUs differ). Fails when the gzip size is over SIZE_BUDGET_KIB. `.ci/run` runs it.
 */
import './lib/node-version.ts'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * The Worker's one size budget, gzip. Set to the measurement plus 15 KiB when the OpenAPI document
 * moved to build time and zod became tree-shakeable (267.2 → 193.0 KiB). Work that needs more
 * raises it here, by what it states: +18 KiB for the question-bank formats (GIFT, Moodle XML, QTI 3.0
 * readers and writers, an XML reader and a zip reader of our own), measured at +16.5 (206.6 → 223.1);
 * +13 for LTI 1.3's login, launch, keys, deep linking, dynamic registration and the framed learner
 * page (223.1 → 234.5), and the last +2 the LTI issue allows (15 in all) for its grades (outbox,
 * queue consumer, access tokens, line items), rosters and the instructor's class view (→ 241.1).
 * Then wrangler's `keep_names` off (wrangler.toml) took 13.8 off the whole bundle (241.1 → 227.3),
 * and the budget followed it down to the measurement plus 2, so that it still means something.
 */
const SIZE_BUDGET_KIB = 229
const wrangler = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
)
const runWrangler = (args: string[]) =>
  execFileSync(process.execPath, [wrangler, ...args], {
    stdio: 'ignore',
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  })

runWrangler(['deploy', '--dry-run', '--outdir', 'dist', '--metafile=dist/meta.json'])

const code = readFileSync('dist/index.js')
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const gzip = gzipSync(code, { level: 9 }).length
console.log(`bundle: ${kib(code.length)} raw, ${kib(gzip)} gzip (gate ${SIZE_BUDGET_KIB} KiB gzip)`)

type Meta = { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }
const meta = JSON.parse(readFileSync('dist/meta.json', 'utf8')) as Meta
const output = Object.entries(meta.outputs).find(([name]) => name.endsWith('.js'))?.[1]
const byPackage: Record<string, number> = {}
for (const [file, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
  const name = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'src'
  byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput
}
for (const [name, bytes] of Object.entries(byPackage)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 8)) {
  console.log(`  ${kib(bytes).padStart(10)}  ${name}`)
}

type Profile = {
  nodes: { id: number; callFrame: { functionName: string } }[]
  samples: number[]
  timeDeltas: number[]
}

/** CPU time a start-up profile spent outside `(idle)`, in milliseconds. */
function activeMs(profile: Profile) {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
  const micros = profile.samples.reduce(
    (sum, node, i) => sum + (idle.has(node) ? 0 : (profile.timeDeltas[i] ?? 0)),
    0,
  )
  return micros / 1000
}

mkdirSync('.local', { recursive: true })
const runs = Array.from({ length: 3 }, () => {
  runWrangler(['check', 'startup', '--outfile', '.local/worker-startup.cpuprofile'])
  return activeMs(JSON.parse(readFileSync('.local/worker-startup.cpuprofile', 'utf8')) as Profile)
}).sort((a, b) => a - b)
console.log(
  `start-up CPU: ${runs[1]?.toFixed(1)} ms median (${runs.map((ms) => ms.toFixed(1)).join(', ')}; wrangler check startup, local)`,
)

if (gzip > SIZE_BUDGET_KIB * 1024) {
  console.error(`Over the gate by ${kib(gzip - SIZE_BUDGET_KIB * 1024)} gzip.`)
  process.exitCode = 1
}
