/**
 * `npm run dev`: the whole API on this machine with no account anywhere.
 * 1. .dev.vars from .dev.vars.example when missing;
 * 2. the local Neon endpoint on the port NEON_LOCAL_ENDPOINT names, on PGlite persisted in .local/
 *    (or LOCAL_POSTGRES_URL's server);
 * 3. migrations, and the sample catalogue when the database has none;
 * 4. public/openapi.json from the route definitions, so /docs shows the code as it is, and the
 *    learner page's script (public/app.js), rebuilt on every change under web/;
 * 5. `wrangler dev` on 127.0.0.1:8787 (PORT moves it), with the Cron Trigger run every 10 minutes as
 *    it runs in production, and passkeys for http://localhost:<port> (browsers refuse an IP address
 *    as a passkey's site). Ctrl-C stops all of it.
 * A port already in use is one line saying which and how to move it, not a stack trace.
 */
import './lib/node-version.ts'
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { count } from 'drizzle-orm'
import { skills } from '../src/db/schema.ts'
import { watchWeb } from './assets.ts'
import { connect } from './lib/database.ts'
import { ensureDevVars, readDevVars } from './lib/dev-vars.ts'
import { migrate } from './lib/migrate.ts'
import { createBackend, startLocalNeon } from './local-neon/index.ts'
import { writeOpenApiDocument } from './openapi.ts'
import { seed } from './seed.ts'

const started = performance.now()
if (ensureDevVars()) console.log('Created .dev.vars from .dev.vars.example.')
const vars = readDevVars()
// From the environment first, as PORT is, then .dev.vars.
const endpoint = new URL(
  process.env.NEON_LOCAL_ENDPOINT || vars.NEON_LOCAL_ENDPOINT || 'http://127.0.0.1:4444/sql',
)
const workerPort = Number(process.env.PORT ?? 8787)
const postgresUrl = process.env.LOCAL_POSTGRES_URL
const pgliteDir = '.local/pglite'

/** Exits with one line when a port this needs is taken, before anything starts. */
async function expectFree(port: number, howToMove: string) {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
  if (free) return
  console.error(`Port ${port} on 127.0.0.1 is already in use: stop what uses it, or ${howToMove}.`)
  process.exit(1)
}
await expectFree(
  Number(endpoint.port),
  `move the database endpoint with NEON_LOCAL_ENDPOINT=http://127.0.0.1:<port>/sql npm run dev (or in .dev.vars)`,
)
await expectFree(workerPort, `move the Worker with PORT=<port> npm run dev`)

if (!postgresUrl) mkdirSync(pgliteDir, { recursive: true })

const server = await startLocalNeon({
  backend: await createBackend({ postgresUrl, pgliteDir }),
  port: Number(endpoint.port),
  delayMs: Number(process.env.LOCAL_NEON_DELAY_MS ?? 0),
  log: process.env.LOCAL_NEON_LOG ? (line) => console.log(`[local-neon] ${line}`) : undefined,
})
console.log(
  `Local Neon endpoint on ${server.sqlEndpoint} (${postgresUrl ? 'PostgreSQL' : `PGlite in ${pgliteDir}`}).`,
)

const { db, sql } = connect({
  DATABASE_URL: vars.DATABASE_URL || 'postgres://app:local-only@db.localtest.me/app',
  NEON_LOCAL_ENDPOINT: server.sqlEndpoint,
})
const applied = await migrate({ db, sql })
const [{ skillCount = 0 } = {}] = await db.select({ skillCount: count() }).from(skills)
if (skillCount === 0) await seed(db)
console.log(
  `Database ready: ${applied} migration(s) applied, ${skillCount === 0 ? 'sample catalogue seeded' : `${skillCount} skill(s) kept`} ` +
    `in ${Math.round(performance.now() - started)} ms.`,
)

await writeOpenApiDocument()
const stopWatchingWeb = await watchWeb()

/**
 * Passkeys on localhost and the port this runs on, unless .dev.vars says otherwise: a .dev.vars made
 * before passkeys, or the example's port with PORT moved, would otherwise refuse every passkey.
 */
const DEFAULT_ORIGINS = 'http://localhost:8787'
const passkeyVars = {
  WEBAUTHN_RP_ID: vars.WEBAUTHN_RP_ID || 'localhost',
  WEBAUTHN_ORIGINS:
    !vars.WEBAUTHN_ORIGINS || vars.WEBAUTHN_ORIGINS === DEFAULT_ORIGINS
      ? `http://localhost:${workerPort}`
      : vars.WEBAUTHN_ORIGINS,
}

// Run wrangler's own script with this Node: `npx` would leave wrangler running when it is killed.
const wranglerPackage = createRequire(import.meta.url).resolve('wrangler/package.json')
const wranglerBin = join(dirname(wranglerPackage), 'bin', 'wrangler.js')
const wrangler = spawn(
  process.execPath,
  // --test-scheduled: the Cron Trigger can be run locally, and is, below.
  [
    wranglerBin,
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(workerPort),
    '--test-scheduled',
    // The endpoint this started (NEON_LOCAL_ENDPOINT from the environment may have moved it from .dev.vars').
    ...Object.entries({ ...passkeyVars, NEON_LOCAL_ENDPOINT: server.sqlEndpoint }).flatMap(([key, value]) => [
      '--var',
      `${key}:${value}`,
    ]),
  ],
  {
    stdio: 'inherit',
    // The Request.cf lookup and telemetry are wrangler dev's only calls to the internet; neither is needed.
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
  },
)

console.log(`The learner page: http://localhost:${workerPort}/ (passkeys need localhost, not 127.0.0.1).`)
console.log(
  `The studio: http://localhost:${workerPort}/studio/ (its token: the one of ADMIN_TOKENS in .dev.vars).`,
)

// The Cron Trigger of wrangler.toml (due reviews, expired keys, attempts left open), as production runs it.
const CRON = '*/10 * * * *'
const cron = setInterval(
  () => {
    fetch(`http://127.0.0.1:${workerPort}/__scheduled?cron=${encodeURIComponent(CRON)}`).catch(
      () => undefined,
    )
  },
  10 * 60 * 1000,
)

let stopping = false
async function stop(code: number) {
  if (stopping) return
  stopping = true
  clearInterval(cron)
  if (wrangler.exitCode === null) wrangler.kill('SIGTERM')
  await stopWatchingWeb()
  await server.close()
  process.exit(code)
}
wrangler.on('exit', (code) => void stop(code ?? 0))
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(0))
