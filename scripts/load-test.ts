/**
 * `npm run load-test`: a bounded load test on loopback, which stops by itself.
 *
 * Starts the local endpoint (PostgreSQL when LOCAL_POSTGRES_URL is set, in a scratch database that
 * is dropped afterwards; PGlite otherwise), migrates and seeds it, creates learners with signed
 * cookies, runs `wrangler dev` on 127.0.0.1, and drives it with autocannon at concurrency 50 for
 * 20 s (flags: --connections, --duration, --learners): catalogue reads mixed with progress writes
 * (attempt starts with unique Idempotency-Keys, and submits of prepared attempts). Then it checks:
 * no 5xx, and the rows in the database equal the successful writes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { and, count, eq, inArray } from 'drizzle-orm'
import { attempts, idempotencyKeys, learners } from '../src/db/schema.ts'
import { hashSessionId, newSessionId, sessionKeys, signSessionId } from '../src/session/cookie.ts'
import { connect } from './lib/database.ts'
import { migrate } from './lib/migrate.ts'
import { createScratchDatabase } from './lib/scratch-db.ts'
import { createBackend, startLocalNeon } from './local-neon/index.ts'
import { seed, seedActivities } from './seed.ts'

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '20' },
    learners: { type: 'string', default: '200' },
  },
})
const connections = Number(values.connections)
const duration = Math.min(Number(values.duration), 120)
const learnerCount = Number(values.learners)

const SECRET = 'load-test-only-session-secret-0123456789'
const DATABASE_URL = 'postgres://load:load@db.localtest.me/load'

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
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`)
}

const cleanups: (() => Promise<unknown> | unknown)[] = []
async function cleanUp() {
  for (const step of cleanups.reverse()) await step()
}
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)))

try {
  const serverUrl = process.env.LOCAL_POSTGRES_URL
  if (!serverUrl)
    console.warn('LOCAL_POSTGRES_URL is not set: running on PGlite, which serialises every request.')
  const scratch = serverUrl ? await createScratchDatabase(serverUrl, 'learning_progress_load') : undefined
  if (scratch) cleanups.push(scratch.drop)
  const endpoint = await startLocalNeon({ backend: await createBackend({ postgresUrl: scratch?.url }) })
  cleanups.push(() => endpoint.close())
  const { db, sql } = connect({ DATABASE_URL, NEON_LOCAL_ENDPOINT: endpoint.sqlEndpoint })
  await migrate(sql)
  await seed(db)

  // Learners with signed cookies, and one prepared in-progress attempt per future submit.
  const keys = await sessionKeys(SECRET)
  if (!keys) throw new Error('bad secret')
  const cookies: string[] = []
  const learnerIds: string[] = []
  for (let i = 0; i < learnerCount; i++) {
    const sessionId = newSessionId()
    const [row] = await db
      .insert(learners)
      .values({ sessionId: await hashSessionId(sessionId) })
      .returning()
    learnerIds.push(row?.id as string)
    cookies.push(`sid=${await signSessionId(sessionId, keys.signing)}`)
  }
  const activityIds = seedActivities.map((a) => a.id as string)
  const prepared: { id: string; cookie: string }[] = []
  for (let i = 0; i < learnerCount * 20; i++) {
    const learner = i % learnerCount
    const [row] = await db
      .insert(attempts)
      .values({
        learnerId: learnerIds[learner] as string,
        activityId: activityIds[i % activityIds.length] as string,
      })
      .returning({ id: attempts.id })
    prepared.push({ id: row?.id as string, cookie: cookies[learner] as string })
  }

  const port = await freePort()
  const wranglerBin = join(
    dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
    'bin',
    'wrangler.js',
  )
  const vars = {
    ENVIRONMENT: 'development',
    DATABASE_URL,
    NEON_LOCAL_ENDPOINT: endpoint.sqlEndpoint,
    SESSION_SECRETS: SECRET,
    ADMIN_TOKENS: 'load-test-only-admin-token',
  }
  const wrangler: ChildProcess = spawn(
    process.execPath,
    [
      wranglerBin,
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    },
  )
  cleanups.push(() => wrangler.kill('SIGTERM'))
  const base = `http://127.0.0.1:${port}`
  await waitFor(`${base}/health`, 30_000)

  type Kind = 'read' | 'start' | 'submit'
  const tally: Record<Kind, Record<number, number>> = { read: {}, start: {}, submit: {} }
  let nextPrepared = 0
  // Requests still in flight when the run stops may commit without an answer, so the check pairs
  // every answered request with the database: 2xx if and only if its row is there.
  const answeredStarts = new Map<string, number>()
  const answeredSubmits = new Map<string, number>()
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)] as T
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: [
      {
        // Half the traffic reads the catalogue; the other half writes progress. Each client sends one
        // request at a time, so its context remembers what the response answers.
        setupRequest: (req, context) => {
          const kinds = context as { kind?: Kind; key?: string; attemptId?: string }
          const roll = Math.random()
          if (roll < 0.5) {
            kinds.kind = 'read'
            const paths = [
              '/v1/skills',
              '/v1/skills/00000000-0000-4000-8000-000000000001',
              `/v1/activities/${pick(activityIds)}`,
            ]
            return { ...req, method: 'GET', path: pick(paths) }
          }
          if (roll < 0.75 || nextPrepared >= prepared.length) {
            kinds.kind = 'start'
            kinds.key = crypto.randomUUID()
            return {
              ...req,
              method: 'POST',
              path: `/v1/activities/${pick(activityIds)}/attempts`,
              headers: { cookie: pick(cookies), 'idempotency-key': kinds.key },
            }
          }
          kinds.kind = 'submit'
          const attempt = prepared[nextPrepared++] as { id: string; cookie: string }
          kinds.attemptId = attempt.id
          return {
            ...req,
            method: 'POST',
            path: `/v1/attempts/${attempt.id}/submit`,
            headers: { cookie: attempt.cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ response: { answers: {} } }),
          }
        },
        onResponse: (status, _body, context) => {
          const { kind, key, attemptId } = context as { kind: Kind; key?: string; attemptId?: string }
          tally[kind][status] = (tally[kind][status] ?? 0) + 1
          if (kind === 'start' && key) answeredStarts.set(key, status)
          if (kind === 'submit' && attemptId) answeredSubmits.set(attemptId, status)
        },
      },
    ],
  })

  // The database after the run must hold exactly the successful writes.
  const storedKeys = new Set(
    (
      await db
        .select({ key: idempotencyKeys.key })
        .from(idempotencyKeys)
        .where(inArray(idempotencyKeys.key, [...answeredStarts.keys()]))
    ).map((row) => row.key),
  )
  const completedIds = new Set(
    (
      await db
        .select({ id: attempts.id })
        .from(attempts)
        .where(and(inArray(attempts.id, [...answeredSubmits.keys()]), eq(attempts.status, 'completed')))
    ).map((row) => row.id),
  )
  const startMismatches = [...answeredStarts].filter(
    ([key, status]) => (status === 201) !== storedKeys.has(key),
  ).length
  const submitMismatches = [...answeredSubmits].filter(
    ([id, status]) => (status === 200) !== completedIds.has(id),
  ).length
  const [all] = await db.select({ n: count() }).from(attempts)
  const fiveHundreds = Object.values(tally)
    .flatMap((byStatus) => Object.entries(byStatus))
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, n]) => sum + n, 0)
  const summary = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    backend: scratch ? 'PostgreSQL' : 'PGlite',
    connections,
    durationSeconds: duration,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
    byKind: tally,
    errors: result.errors,
    timeouts: result.timeouts,
    fiveHundreds,
    database: {
      attemptsStarted: (all?.n ?? 0) - prepared.length,
      answeredStarts: answeredStarts.size,
      answeredSubmits: answeredSubmits.size,
      startMismatches,
      submitMismatches,
    },
  }
  console.log(JSON.stringify(summary, null, 2))
  const problems = [
    fiveHundreds > 0 && `${fiveHundreds} responses were 5xx`,
    startMismatches > 0 && `${startMismatches} answered starts disagree with the database`,
    submitMismatches > 0 && `${submitMismatches} answered submits disagree with the database`,
  ].filter(Boolean)
  if (problems.length > 0) {
    console.error(`Load test FAILED:\n${problems.join('\n')}`)
    process.exitCode = 1
  } else {
    console.log('Load test passed: no 5xx, and the database holds exactly the successful writes.')
  }
} finally {
  await cleanUp()
}
