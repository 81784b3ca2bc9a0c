/**
 * The whole API on loopback for load tests, benchmarks and browser tests: the local endpoint (PostgreSQL in a
 * scratch database when LOCAL_POSTGRES_URL is set, PGlite otherwise), migrated and seeded, and
 * `wrangler dev` on a free port pointed at it. `close()` stops everything and drops the scratch
 * database; it also runs on Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { sql } from 'drizzle-orm'
import { attempts, learners, sessions } from '../../src/db/schema.ts'
import { hashSessionId, newSessionId, sessionKeys, signSessionId } from '../../src/session/cookie.ts'
import { buildWeb } from '../assets.ts'
import { createBackend, startLocalNeon } from '../local-neon/index.ts'
import { seed } from '../seed.ts'
import { connect } from './database.ts'
import { migrate } from './migrate.ts'
import { createScratchDatabase } from './scratch-db.ts'

export const DATABASE_URL = 'postgres://bench:bench@db.localtest.me/bench'
const SESSION_SECRET = 'loopback-only-session-secret-0123456789'
export const ADMIN_TOKEN = 'loopback-only-admin-token'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.once('error', reject)
  })
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const up = await fetch(url).then(
      (res) => res.ok,
      () => false,
    )
    if (up) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`)
}

export async function startStack(options: {
  name: string
  delayMs?: number
  vars?: Record<string, string>
  /** Where the Worker's log lines go (a file descriptor); by default nowhere. */
  logTo?: number
}) {
  const cleanups: (() => unknown)[] = []
  const close = async () => {
    // Let requests still in flight (a load run's last ones) finish before their database goes away.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    for (const step of cleanups.splice(0).reverse()) await step()
  }
  process.once('SIGINT', () => void close().then(() => process.exit(130)))
  try {
    const serverUrl = process.env.LOCAL_POSTGRES_URL
    if (!serverUrl) console.warn('LOCAL_POSTGRES_URL is not set: PGlite serialises every request.')
    const scratch = serverUrl ? await createScratchDatabase(serverUrl, options.name) : undefined
    if (scratch) cleanups.push(scratch.drop)
    const backend = await createBackend({ postgresUrl: scratch?.url })
    const endpoint = await startLocalNeon({ backend, delayMs: options.delayMs })
    cleanups.push(() => endpoint.close())
    const { db, sql } = connect({ DATABASE_URL, NEON_LOCAL_ENDPOINT: endpoint.sqlEndpoint })
    await migrate({ db, sql })
    await seed(db)
    await buildWeb()

    const port = await freePort()
    const wranglerBin = join(
      dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
      'bin',
      'wrangler.js',
    )
    const vars: Record<string, string> = {
      ENVIRONMENT: 'development',
      DATABASE_URL,
      NEON_LOCAL_ENDPOINT: endpoint.sqlEndpoint,
      SESSION_SECRETS: SESSION_SECRET,
      ADMIN_TOKENS: ADMIN_TOKEN,
      // Passkeys from localhost: browsers refuse an IP address as a passkey's site.
      WEBAUTHN_RP_ID: 'localhost',
      WEBAUTHN_ORIGINS: `http://localhost:${port}`,
      // The tool's LTI key: made for this stack alone.
      LTI_PRIVATE_KEYS: JSON.stringify([
        {
          kid: 'stack',
          ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
        },
      ]),
      ...options.vars,
    }
    const args = [wranglerBin, 'dev', '--ip', '127.0.0.1', '--port', String(port)]
    for (const [key, value] of Object.entries(vars)) args.push('--var', `${key}:${value}`)
    const wrangler: ChildProcess = spawn(process.execPath, args, {
      stdio: ['ignore', options.logTo ?? 'ignore', 'inherit'],
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    })
    cleanups.push(() => wrangler.kill('SIGTERM'))
    const base = `http://127.0.0.1:${port}`
    await waitFor(`${base}/health`, 30_000)
    // The same Worker by name, for what browsers allow on localhost only (passkeys).
    const localhost = `http://localhost:${port}`
    return { base, localhost, endpoint, db, backend: scratch ? 'PostgreSQL' : 'PGlite', close }
  } catch (error) {
    await close()
    throw error
  }
}

type Stack = Awaited<ReturnType<typeof startStack>>

/** Learners created straight in the database, with cookies signed as the Worker would sign them. */
export async function createLearners(stack: Stack, count: number) {
  const keys = await sessionKeys([SESSION_SECRET])
  if (!keys) throw new Error('bad session secret')
  const ids = Array.from({ length: count }, newSessionId)
  const rows = await stack.db
    .insert(learners)
    .values(ids.map(() => ({})))
    .returning({ id: learners.id })
  await stack.db.insert(sessions).values(
    await Promise.all(
      rows.map(async (row, i) => ({
        learnerId: row.id,
        tokenHash: await hashSessionId(ids[i] as string),
        label: 'load test',
      })),
    ),
  )
  return Promise.all(
    rows.map(async (row, i) => ({
      id: row.id,
      cookie: `sid=${await signSessionId(ids[i] as string, keys.signing)}`,
    })),
  )
}

/**
 * `perLearner` in-progress attempts per owner, across the given activities, for submits to complete.
 * A learner has at most one attempt in progress per activity (migration 0007), so past one round of
 * the activities each further round goes to fresh learners (created here) standing in for the owners.
 */
export async function prepareAttempts(
  stack: Stack,
  owners: { id: string; cookie: string }[],
  activityIds: string[],
  perLearner: number,
) {
  const rounds = Math.ceil(perLearner / activityIds.length)
  const groups = [owners]
  for (let round = 1; round < rounds; round++) groups.push(await createLearners(stack, owners.length))
  // Learner by learner in turn, so that consecutive submits belong to different learners.
  const planned = Array.from({ length: perLearner }, (_, i) => {
    const group = groups[Math.floor(i / activityIds.length)] as typeof owners
    return group.map((owner) => ({ owner, activityId: activityIds[i % activityIds.length] as string }))
  }).flat()
  const prepared: { id: string; cookie: string; activityId: string }[] = []
  for (let i = 0; i < planned.length; i += 1000) {
    const chunk = planned.slice(i, i + 1000)
    const rows = await stack.db
      .insert(attempts)
      .values(
        chunk.map(({ owner, activityId }) => ({
          learnerId: owner.id,
          activityId,
          // What start does: the attempt's own questions, drawn in SQL from the current version.
          contentVersion: sql`(SELECT content_version FROM activities WHERE id = ${activityId})`,
          questions: sql`attempt_questions((SELECT content FROM activities WHERE id = ${activityId}))`,
        })),
      )
      .returning({ id: attempts.id })
    rows.forEach((row, k) => {
      const plan = chunk[k] as (typeof chunk)[number]
      prepared.push({ id: row.id, cookie: plan.owner.cookie, activityId: plan.activityId })
    })
  }
  return prepared
}
