/**
 * `npm run size`: bundles the Worker as `wrangler deploy` would (`--dry-run --outdir dist`, no
 * upload, no account) and prints the raw and gzip sizes, with the largest packages in the bundle.
 * Fails when the gzip size is over the budget (SIZE_BUDGET_KIB, default 150).
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

const budgetKiB = Number(process.env.SIZE_BUDGET_KIB ?? 150)
const wrangler = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
)
execFileSync(
  process.execPath,
  [wrangler, 'deploy', '--dry-run', '--outdir', 'dist', '--metafile=dist/meta.json'],
  {
    stdio: 'ignore',
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  },
)

const code = readFileSync('dist/index.js')
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const gzip = gzipSync(code, { level: 9 }).length
console.log(`bundle: ${kib(code.length)} raw, ${kib(gzip)} gzip (budget ${budgetKiB} KiB gzip)`)

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
if (gzip > budgetKiB * 1024) {
  console.error(`Over budget by ${kib(gzip - budgetKiB * 1024)} gzip.`)
  process.exitCode = 1
}
