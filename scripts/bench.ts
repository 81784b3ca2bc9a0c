/**
 * `npm run bench [-- --delay 25 --samples 50 --seconds 10] [--quick] [--record]`: how close each
 * route sits to the physical limit of the edge, latency ≈ round trips × distance to the database.
 *
 * Starts the loopback stack (scripts/lib/stack.ts) with a delay injected into every database round
 * trip, walks a learner journey route by route (each sample a fresh request, measured by the client;
 * round trips read from the endpoint's counter), then runs autocannon at concurrency 20 on a cached
 * catalogue read and on submit. Submit is measured without a token (two round trips) and with its
 * start's Submit-Token, counting the path each took (its Server-Timing: one_trip, or why not) in the
 * journey and under load. Prints a table and writes it to .local/bench/ (git-ignored);
 * `--record` writes bench/results/latest.{json,md} instead, the committed record that the docs quote.
 * `--quick`: 20 samples and 3 s of load, for a look in a minute. The backend (PGlite, or PostgreSQL
 * with LOCAL_POSTGRES_URL) is named in the output: their numbers differ.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { sql as sqlTag } from 'drizzle-orm'
import { consumeChanges } from '../src/analytics/aggregates.ts'
import { searchSettings, searchStatement } from '../src/catalogue/search.ts'
import { ADMIN_TOKEN, createLearners, prepareAttempts, startStack } from './lib/stack.ts'
import { SEED_IDS } from './seed.ts'

const { values } = parseArgs({
  options: {
    delay: { type: 'string', default: '25' },
    samples: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    scale: { type: 'string', default: '0' },
    quick: { type: 'boolean', default: false },
    record: { type: 'boolean', default: false },
  },
})
const delayMs = Number(values.delay)
const samples = values.quick ? 20 : Math.max(50, Number(values.samples))
const seconds = values.quick ? 3 : Math.min(Number(values.seconds), 60)
const outDir = values.record ? 'bench/results' : '.local/bench'
/** --scale N: grow to N learners (~20 attempts each) and measure hot routes at 1k, 10k and N. */
const scale = Math.min(Number(values.scale), 100_000)

/** Words the seed catalogue (and the grown one) has, and one typo, for search samples. */
const SEARCH_WORDS = [
  'addition',
  'subtract',
  'multiply',
  'science',
  'numbers',
  'substraction',
  'tables',
  'hypothesis',
]

/** Grown attempts carry feedback and answers like real ones, so the analytics consumer has work. */
const GROWN_FEEDBACK = JSON.stringify([
  { questionId: 'q1', correct: true, pointsAwarded: 1 },
  { questionId: 'q2', correct: true, pointsAwarded: 1 },
  { questionId: 'q3', correct: false, pointsAwarded: 0 },
])
const GROWN_RESPONSE = JSON.stringify({ answers: { q1: 5, q2: 8, q3: 'b' } })

const SKILL = SEED_IDS.skills.math
const ACTIVITY = SEED_IDS.activities.addition
const ANSWERS = JSON.stringify({ response: { answers: { q1: 5, q2: 8, q3: 9 } } })

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

/** Counts a submit's path, from its `Server-Timing: submit;desc="…"`. */
function countPath(paths: Record<string, number>, serverTiming: string | null) {
  const path = /^submit;desc="([a-z_]+)"$/.exec(serverTiming ?? '')?.[1]
  if (path) paths[path] = (paths[path] ?? 0) + 1
}

type Started = { id: string; cookie: string; token: string; answers: string }

/** Right answers to the activities the bench submits. */
const ANSWERS_OF: Record<string, string> = {
  [ACTIVITY]: ANSWERS,
  [SEED_IDS.activities.takeAway]: JSON.stringify({ response: { answers: { q1: 5, q2: 7, q3: 'zero' } } }),
}

/**
 * For each owner, an attempt at each of `activityIds` (all started before any is submitted, as in
 * several tabs), started through the API 20 at a time, each with its start's token.
 */
async function startThroughApi(base: string, owners: { cookie: string }[], activityIds: string[]) {
  const started: Started[] = []
  const planned = owners.flatMap(({ cookie }) => activityIds.map((activityId) => ({ cookie, activityId })))
  for (let i = 0; i < planned.length; i += 20) {
    const batch = planned.slice(i, i + 20).map(async ({ cookie, activityId }) => {
      const res = await fetch(`${base}/v1/activities/${activityId}/attempts`, {
        method: 'POST',
        headers: { cookie },
      })
      const { id } = (await res.json()) as { id: string }
      const token = res.headers.get('submit-token')
      if (res.status !== 201 || !token) throw new Error(`a start answered ${res.status} without a token`)
      return { id, cookie, token, answers: ANSWERS_OF[activityId] as string }
    })
    started.push(...(await Promise.all(batch)))
  }
  return started
}

/** The share of submits that took one round trip, and why the others did not. */
function submitPathsTable(paths: { journey?: Record<string, number>; load: Record<string, number> }) {
  const line = (name: string, counts: Record<string, number> = {}) => {
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
    const fast = counts.one_trip ?? 0
    const causes = Object.entries(counts).filter(([path]) => path !== 'one_trip')
    const share = total === 0 ? 'n/a' : `${((100 * fast) / total).toFixed(1)} %`
    return `| ${name} | ${total} | ${share} | ${causes.map(([path, n]) => `${path} ${n}`).join(', ') || 'none'} |`
  }
  return [
    'Submits with the start’s Submit-Token (Server-Timing):',
    '',
    '| submits | count | one round trip | the others, by cause |',
    '| --- | --- | --- | --- |',
    line('journey (sequential)', paths.journey),
    line('load test (c=20)', paths.load),
    '',
  ]
}

const stack = await startStack({ name: 'learning_progress_bench', delayMs })
try {
  const { base, endpoint } = stack
  const learners = await createLearners(stack, samples * 3)
  const prepared = await prepareAttempts(stack, learners, [ACTIVITY], 1)
  // Started through the API, as a client would: each with its start's Submit-Token.
  const tokened = await startThroughApi(base, await createLearners(stack, samples), [ACTIVITY])
  // Learners of their own (more than the load test can submit), each with a started attempt and its
  // token; one in ten has a second activity of the skill open, as in another tab, so that whichever
  // of its two submits comes second finds the state moved since its token was read.
  const loadLearners = await createLearners(stack, Math.min(6000, seconds * 250))
  const tabbed = loadLearners.filter((_, i) => i % 10 === 0)
  const throughputAttempts = [
    ...(await startThroughApi(
      base,
      loadLearners.filter((_, i) => i % 10 !== 0),
      [ACTIVITY],
    )),
    ...(await startThroughApi(base, tabbed, [ACTIVITY, SEED_IDS.activities.takeAway])),
  ]
  // Spread the two-tab learners through the load, keeping each one's two submits apart.
  throughputAttempts.sort((a, b) => (a.id < b.id ? -1 : 1))

  type Row = {
    route: string
    roundTrips: number
    p50: number
    p95: number
    statuses: Record<number, number>
    /** Submits: how many took each path (Server-Timing), one_trip or why not. */
    paths?: Record<string, number>
  }
  const rows: Row[] = []

  /** `samples` sequential requests; round trips per request from the endpoint's counter. */
  async function measure(route: string, request: (i: number) => [string, RequestInit?]) {
    const latencies: number[] = []
    const statuses: Record<number, number> = {}
    const paths: Record<string, number> = {}
    const before = endpoint.stats.requests
    for (let i = 0; i < samples; i++) {
      const [path, init] = request(i)
      const started = performance.now()
      const res = await fetch(`${base}${path}`, init)
      await res.arrayBuffer()
      latencies.push(performance.now() - started)
      statuses[res.status] = (statuses[res.status] ?? 0) + 1
      countPath(paths, res.headers.get('server-timing'))
    }
    latencies.sort((a, b) => a - b)
    const row = {
      route,
      roundTrips: (endpoint.stats.requests - before) / samples,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      statuses,
      ...(Object.keys(paths).length > 0 && { paths }),
    }
    rows.push(row)
    console.log(
      `${route.padEnd(44)} ${row.roundTrips.toFixed(2)} trips  p50 ${row.p50.toFixed(1)} ms  p95 ${row.p95.toFixed(1)} ms  ${JSON.stringify(statuses)}${row.paths ? `  ${JSON.stringify(row.paths)}` : ''}`,
    )
  }

  const learner = (i: number) => learners[i % learners.length] as { cookie: string }
  const json = (cookie: string, body: string, token?: string) => ({
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', ...(token && { 'submit-token': token }) },
    body,
  })

  // Warm the Worker and the edge cache entries the journey reads.
  for (const path of ['/health', '/v1/skills', `/v1/skills/${SKILL}`])
    await (await fetch(`${base}${path}`)).arrayBuffer()

  await measure('POST /v1/session (new learner)', (i) => [
    '/v1/session',
    { method: 'POST', headers: { 'cf-connecting-ip': `10.0.${i >> 8}.${i & 255}` } },
  ])
  await measure('GET /v1/skills (edge cache hit)', () => ['/v1/skills'])
  await measure('GET /v1/skills?limit=20 (uncached)', () => ['/v1/skills?limit=20'])
  await measure('GET /v1/skills/{id} (edge cache hit)', () => [`/v1/skills/${SKILL}`])
  await measure('GET /v1/skills/{id}?fresh (uncached tree)', (i) => [`/v1/skills/${SKILL}?fresh=${i}`])
  // Another activity than the prepared attempts': a real start (201), not the open attempt back.
  await measure('POST /v1/activities/{id}/attempts', (i) => [
    `/v1/activities/${SEED_IDS.activities.takeAway}/attempts`,
    { method: 'POST', headers: { cookie: learner(i).cookie } },
  ])
  await measure('POST /v1/attempts/{id}/submit (no token)', (i) => {
    const attempt = prepared[i] as { id: string; cookie: string }
    return [`/v1/attempts/${attempt.id}/submit`, json(attempt.cookie, ANSWERS)]
  })
  await measure('POST /v1/attempts/{id}/submit (Submit-Token)', (i) => {
    const attempt = tokened[i] as Started
    return [`/v1/attempts/${attempt.id}/submit`, json(attempt.cookie, attempt.answers, attempt.token)]
  })
  await measure('GET /v1/me/skills', (i) => ['/v1/me/skills', { headers: { cookie: learner(i).cookie } }])
  await measure('GET /v1/me/review', (i) => ['/v1/me/review', { headers: { cookie: learner(i).cookie } }])
  await measure('GET /v1/me/next', (i) => ['/v1/me/next', { headers: { cookie: learner(i).cookie } }])
  // Each sample its own (query, limit): every one a miss of the edge cache.
  await measure('GET /v1/search (uncached)', (i) => [
    `/v1/search?q=${SEARCH_WORDS[i % SEARCH_WORDS.length]}&limit=${(i % 50) + 1}`,
  ])
  await measure('GET /v1/search (edge cache hit)', () => ['/v1/search?q=addition'])
  await measure('POST /v1/admin/skills', (i) => [
    '/v1/admin/skills',
    {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Bench ${i}` }),
    },
  ])

  const throughput = async (name: string, options: Omit<autocannon.Options, 'url'>) => {
    const before = endpoint.stats.requests
    const result = await autocannon({ ...options, url: base, connections: 20, duration: seconds })
    const summary = {
      name,
      roundTripsPerRequest: (endpoint.stats.requests - before) / Math.max(1, result.requests.total),
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
    }
    console.log(
      `${name.padEnd(44)} ${summary.requestsPerSecond.toFixed(0)} req/s  p50 ${summary.p50} ms  p99 ${summary.p99} ms  ` +
        `non-2xx ${summary.non2xx}  ${summary.roundTripsPerRequest.toFixed(2)} trips/request`,
    )
    return summary
  }
  let next = 0
  const cached = await throughput('GET /v1/skills/{id} (cached), c=20', {
    requests: [{ method: 'GET', path: `/v1/skills/${SKILL}` }],
  })
  const loadPaths: Record<string, number> = {}
  const submit = await throughput('POST submit (Submit-Token), c=20', {
    requests: [
      {
        setupRequest: (req) => {
          const attempt = throughputAttempts[next++ % throughputAttempts.length] as Started
          const { headers, body } = json(attempt.cookie, attempt.answers, attempt.token)
          return { ...req, method: 'POST' as const, path: `/v1/attempts/${attempt.id}/submit`, headers, body }
        },
        onResponse: (_status, _body, _context, headers) => {
          const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'server-timing')
          countPath(loadPaths, entry ? String(entry[1]) : null)
        },
      },
    ],
  })
  console.log(`submit paths under load: ${JSON.stringify(loadPaths)}`)

  const scaleRows: { learners: number; route: string; p50: number }[] = []
  /** The cron's consumption of the analytics change logs, after each growth (analytics/aggregates.ts). */
  const cronRows: { learners: number; deltas: number; runs: number; seconds: number }[] = []
  async function timeCron(learnerCount: number) {
    const started = performance.now()
    let deltas = 0
    let runs = 0
    for (;;) {
      const consumed = await consumeChanges(stack.db)
      runs++
      deltas += consumed.attemptChanges + consumed.skillStateChanges
      if (consumed.attemptChanges + consumed.skillStateChanges === 0) break
    }
    const seconds = (performance.now() - started) / 1000
    console.log(`cron consumed ${deltas} analytics deltas in ${runs} runs, ${seconds.toFixed(1)} s`)
    return { learners: learnerCount, deltas, runs, seconds }
  }
  const plans: string[] = []
  if (scale > 0) {
    const { db } = stack
    const sizes = [...new Set([1_000, 10_000, scale].filter((size) => size <= scale))]
    const scaleLearners = await createLearners(stack, samples)
    const scaleAttempts = await prepareAttempts(stack, scaleLearners, [ACTIVITY], sizes.length)
    let population = learners.length
    for (const [round, size] of sizes.entries()) {
      // Grow the population in SQL: learners with ~20 attempts each, spread over days and activities.
      if (size > population) {
        const started = performance.now()
        await db.execute(sqlTag`
          WITH grown AS (
            INSERT INTO learners (display_name) SELECT NULL FROM generate_series(1, ${size - population})
            RETURNING id),
          devices AS (
            INSERT INTO sessions (learner_id, token_hash, label)
            SELECT id, md5(random()::text || id) || md5(id::text || random()::text), 'bench' FROM grown)
          INSERT INTO attempts
            (learner_id, activity_id, status, score, max_score, passed, started_at, completed_at, feedback, response)
          SELECT grown.id, a.id, 'completed', 2, 3, false, now() - (n * interval '7 hours'), now() - (n * interval '7 hours') + interval '5 minutes',
            ${GROWN_FEEDBACK}::jsonb, ${GROWN_RESPONSE}::jsonb
          FROM grown CROSS JOIN generate_series(1, 20) n
          JOIN LATERAL (SELECT id FROM activities ORDER BY md5(grown.id::text || n) LIMIT 1) a ON true`)
        await db.execute(sqlTag`ANALYZE`)
        population = size
        console.log(`grew to ${size} learners in ${((performance.now() - started) / 1000).toFixed(1)} s`)
        cronRows.push(await timeCron(size))
      }
      const at = (route: string, request: (i: number) => [string, RequestInit?]) =>
        measure(`${route} @ ${size} learners`, request).then(() => {
          const row = rows.pop() as Row
          scaleRows.push({ learners: size, route, p50: row.p50 })
        })
      const me = (i: number) => (scaleLearners[i % scaleLearners.length] as { cookie: string }).cookie
      await at('GET /v1/me/skills', (i) => ['/v1/me/skills', { headers: { cookie: me(i) } }])
      await at('GET /v1/me/attempts', (i) => ['/v1/me/attempts', { headers: { cookie: me(i) } }])
      await at('GET /v1/me/next', (i) => ['/v1/me/next', { headers: { cookie: me(i) } }])
      const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }
      await at('GET /v1/admin/activities/{id}/analytics', () => [
        `/v1/admin/activities/${ACTIVITY}/analytics`,
        admin,
      ])
      await at('GET /v1/admin/skills/{id}/analytics', () => [`/v1/admin/skills/${SKILL}/analytics`, admin])
      await at('POST submit', (i) => {
        const attempt = scaleAttempts[round * scaleLearners.length + i] as { id: string; cookie: string }
        return [`/v1/attempts/${attempt.id}/submit`, json(attempt.cookie, ANSWERS)]
      })
    }
    // A catalogue of 10 000 activities (100 skills × 10 units × 10), worded from a small vocabulary,
    // for search and for up next over a large catalogue.
    const started = performance.now()
    await db.execute(sqlTag`
      WITH words(w) AS (SELECT unnest(${'{fractions,decimals,geometry,algebra,statistics,probability,measurement,ratios,equations,graphs}'}::text[])),
      grown_skills AS (
        INSERT INTO skills (name, description, level)
        SELECT initcap(w) || ' ' || n, 'Practice with ' || w || ' and numbers, part ' || n, 1 + n % 3
        FROM words, generate_series(1, 10) n RETURNING id, name),
      grown_units AS (
        INSERT INTO units (skill_id, name, description, "order")
        SELECT s.id, s.name || ' unit ' || k, 'Unit ' || k || ' of ' || s.name, k
        FROM grown_skills s, generate_series(1, 10) k RETURNING id, name)
      INSERT INTO activities (unit_id, name, description, type, "order", content)
      SELECT u.id, u.name || ' activity ' || j, 'Exercises on ' || u.name, 'practice', j,
        ${JSON.stringify({ instructions: 'Answer the questions.', passingScore: 0.7, questions: [{ id: 'q1', kind: 'numeric', prompt: '1 + 1?', answer: 2, points: 1, tolerance: 0 }] })}::jsonb
      FROM grown_units u, generate_series(1, 10) j`)
    await db.execute(sqlTag`ANALYZE`)
    console.log(
      `grew the catalogue to 10 000 more activities in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    const me = (i: number) => (scaleLearners[i % scaleLearners.length] as { cookie: string }).cookie
    const catalogueRow = (route: string) => {
      const row = rows.pop() as Row
      scaleRows.push({ learners: scale, route, p50: row.p50 })
    }
    await measure('GET /v1/me/next (10k activities)', (i) => ['/v1/me/next', { headers: { cookie: me(i) } }])
    catalogueRow('GET /v1/me/next, 10k activities')
    await measure('GET /v1/search (10k activities, uncached)', (i) => [
      `/v1/search?q=${['geometry', 'probabilty', 'ratios unit', 'algebra -graphs'][i % 4]}&limit=${(i % 50) + 1}`,
    ])
    catalogueRow('GET /v1/search, 10k activities')

    const learnerId = (scaleLearners[0] as { id: string }).id
    const explain = async (title: string, query: ReturnType<typeof sqlTag>) => {
      const result = await db.execute(sqlTag`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY OFF) ${query}`)
      const lines = (result.rows as Record<string, string>[]).map((row) => Object.values(row)[0] as string)
      plans.push(`### ${title}`, '', '```', ...lines, '```', '')
    }
    await explain(
      'GET /v1/me/attempts: a learner’s attempts, newest first',
      sqlTag`
      SELECT * FROM attempts WHERE learner_id = ${learnerId} ORDER BY started_at DESC, id DESC LIMIT 21`,
    )
    await explain(
      'submit, first round trip: what the learner did on each activity of the skill',
      sqlTag`
      SELECT a.id, EXISTS (SELECT 1 FROM attempts t WHERE t.activity_id = a.id AND t.learner_id = ${learnerId} AND t.status = 'completed')
      FROM activities a JOIN units u ON u.id = a.unit_id WHERE u.skill_id = ${SKILL}`,
    )
    await explain(
      'GET /v1/me/skills: every skill with this learner’s state',
      sqlTag`
      SELECT * FROM skills s LEFT JOIN skill_states ss ON ss.skill_id = s.id AND ss.learner_id = ${learnerId} ORDER BY s.name, s.id`,
    )
    await explain(
      'GET /v1/me/next: one activity per unit of the skills this learner started (10k activities)',
      sqlTag`
      SELECT DISTINCT ON (a.unit_id) a.unit_id, a.id,
        EXISTS (SELECT 1 FROM attempts t WHERE t.activity_id = a.id AND t.learner_id = ${learnerId} AND t.status = 'completed' AND t.passed) AS passed
      FROM activities a JOIN units u ON u.id = a.unit_id
      JOIN skill_states s ON s.skill_id = u.skill_id AND s.learner_id = ${learnerId}
      ORDER BY a.unit_id, 3, a."order", a.id`,
    )
    await explain(
      'GET /v1/me/next: each skill’s first activity (10k activities)',
      sqlTag`
      SELECT DISTINCT ON (u.skill_id) u.skill_id, first.id FROM units u
      CROSS JOIN LATERAL (SELECT a.id FROM activities a WHERE a.unit_id = u.id ORDER BY a."order", a.id LIMIT 1) first
      ORDER BY u.skill_id, u."order", u.id`,
    )
    // Search as the route runs it: the threshold and the statement in one transaction.
    for (const [q, limit] of [
      ['geometry', 10],
      ['probabilty', 10],
    ] as const) {
      const [, result] = await db.batch([
        db.execute(searchSettings),
        db.execute(sqlTag`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) ${searchStatement(q, limit)}`),
      ])
      const lines = (result.rows as Record<string, string>[]).map((row) => Object.values(row)[0] as string)
      plans.push(`### GET /v1/search?q=${q}&limit=${limit} (10k activities)`, '', '```', ...lines, '```', '')
    }
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${process.platform}, Node ${process.version}`
  const result = {
    date: new Date().toISOString(),
    machine,
    backend: stack.backend,
    injectedDelayMs: delayMs,
    samples,
    routes: rows,
    throughput: [cached, submit],
    submitPaths: {
      journey: rows.find((row) => row.route.endsWith('(Submit-Token)'))?.paths,
      load: loadPaths,
    },
    scale: scaleRows,
    cron: cronRows,
  }
  const scaleTable =
    scaleRows.length === 0
      ? []
      : [
          `Scale (p50 ms of ${samples} requests by learners in the population; \`--scale ${scale}\`):`,
          '',
          `| route | ${[...new Set(scaleRows.map((r) => r.learners))].map((n) => `${n} learners`).join(' | ')} |`,
          `| --- | ${[...new Set(scaleRows.map((r) => r.learners))].map(() => '---').join(' | ')} |`,
          ...[...new Set(scaleRows.map((r) => r.route))].map(
            (route) =>
              `| ${route} | ${scaleRows
                .filter((r) => r.route === route)
                .map((r) => r.p50.toFixed(1))
                .join(' | ')} |`,
          ),
          '',
          'The cron consuming the analytics change logs after each growth (20 attempts per learner; a run is at most',
          `50 rounds of 20 000 deltas, one round trip each; the last run finds nothing; ${delayMs} ms injected per round trip):`,
          '',
          '| learners | attempts | deltas consumed | runs | seconds | seconds per run with work |',
          '| --- | --- | --- | --- | --- | --- |',
          ...cronRows.map(
            (r) =>
              `| ${r.learners} | ${r.learners * 20} | ${r.deltas} | ${r.runs} | ${r.seconds.toFixed(1)} | ${(r.seconds / Math.max(1, r.runs - 1)).toFixed(1)} |`,
          ),
          '',
          `Plans at ${scale} learners (\`EXPLAIN (ANALYZE, BUFFERS)\`):`,
          '',
          ...plans,
        ]
  const ratio = (row: Row) =>
    row.roundTrips > 0 ? (row.p50 / (row.roundTrips * delayMs)).toFixed(2) : 'n/a (no round trip)'
  const markdown = [
    `# Benchmark, ${result.date}`,
    '',
    `${machine}; ${stack.backend} behind the local endpoint with ${delayMs} ms injected per round trip; \`wrangler dev\` on loopback; ${samples} sequential requests per route.`,
    '',
    '| route | round trips | p50 ms | p95 ms | p50 / (trips × delay) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.route} | ${row.roundTrips.toFixed(2)} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${ratio(row)} |`,
    ),
    '',
    `Throughput (autocannon, concurrency 20, ${seconds} s):`,
    '',
    '| load | req/s | p50 ms | p99 ms | non-2xx | round trips per request |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[cached, submit].map(
      (t) =>
        `| ${t.name} | ${t.requestsPerSecond.toFixed(0)} | ${t.p50} | ${t.p99} | ${t.non2xx} | ${t.roundTripsPerRequest.toFixed(2)} |`,
    ),
    '',
    ...submitPathsTable(result.submitPaths),
    ...scaleTable,
  ].join('\n')
  mkdirSync(outDir, { recursive: true })
  writeFileSync(`${outDir}/latest.json`, `${JSON.stringify(result, null, 2)}\n`)
  writeFileSync(`${outDir}/latest.md`, markdown)
  console.log(`\n${markdown}\nWritten to ${outDir}/latest.json and latest.md (backend: ${stack.backend}).`)
} finally {
  await stack.close()
}
