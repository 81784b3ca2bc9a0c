/**
 * `npm run load-test`: a bounded load test on loopback, which stops by itself.
 *
 * Starts the stack (scripts/lib/stack.ts: the local endpoint on PostgreSQL when LOCAL_POSTGRES_URL is
 * set, migrated and seeded, and `wrangler dev`), creates learners with signed cookies, and drives
 * the API with autocannon at concurrency 50 for 20 s (flags: --connections, --duration, --learners):
 * catalogue reads mixed with progress writes (attempt starts with unique Idempotency-Keys, and
 * submits of prepared attempts). Then it checks: no 5xx, and every answered write agrees with the
 * database.
 */
import os from 'node:os'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { and, count, eq, inArray } from 'drizzle-orm'
import { attempts, idempotencyKeys } from '../src/db/schema.ts'
import { createLearners, prepareAttempts, startStack } from './lib/stack.ts'
import { SEED_IDS, seedActivities } from './seed.ts'

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

const stack = await startStack({ name: 'learning_progress_load' })
try {
  const { base, db } = stack
  const activityIds = seedActivities.map((a) => a.id as string)
  const owners = await createLearners(stack, learnerCount)
  const cookies = owners.map((owner) => owner.cookie)
  const prepared = await prepareAttempts(stack, owners, activityIds, 20)

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
              `/v1/skills/${SEED_IDS.skills.math}`,
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
    backend: stack.backend,
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
  await stack.close()
}
