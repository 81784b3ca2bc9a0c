import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { neonConfig } from '@neondatabase/serverless'
import { expect } from 'vitest'
import type { ActivityContentInput } from '../src/content/schema.ts'
import { createDb } from '../src/db/client.ts'
import { PROBLEM_CONTENT_TYPE } from '../src/errors.ts'
import worker from '../src/index.ts'
import { authorToken } from '../src/middleware/admin-auth.ts'
import { checkContract } from './contract.ts'
import { insertSkill, insertUnit } from './fixtures.ts'

/** The same Drizzle-over-Neon-HTTP client the Worker uses, pointed at the local endpoint. */
export const testDb = () =>
  createDb({ DATABASE_URL: env.DATABASE_URL, NEON_LOCAL_ENDPOINT: env.NEON_LOCAL_ENDPOINT })

/** What no response body may contain: secrets, the connection string, session ids or their hashes. */
export function expectNoSecrets(text: string) {
  for (const secret of [
    ...env.SESSION_SECRETS.split(','),
    ...env.ADMIN_TOKENS.split(',').map((entry) => authorToken(entry).token),
    env.DATABASE_URL,
  ]) {
    expect(text, 'a secret reached a response').not.toContain(secret)
  }
  expect(text, 'a session id or hash reached a response').not.toMatch(/\b[0-9a-f]{64}\b/)
}

/**
 * A request through the real Worker entry (env validation, middleware, routes); its body is checked
 * for secrets, and the response against the route's declaration in the OpenAPI document.
 */
export async function api(path: string, init?: RequestInit) {
  const request = new Request(`http://api.test${path}`, init)
  const res = await exports.default.fetch(request)
  // A zip (a QTI export) is scanned as bytes: ours are stored, not compressed, so its text is there.
  const binary = res.headers.get('content-type')?.startsWith('application/zip')
  expectNoSecrets(
    binary ? new TextDecoder('latin1').decode(await res.clone().arrayBuffer()) : await res.clone().text(),
  )
  await checkContract(request.method, request.url, res)
  return res
}

/**
 * The Worker with other bindings than the suite's (a limiter, a setting, a broken secret), the same
 * checks as api(), and its waitUntil work finished before the response is returned.
 */
export async function callWorker(request: Request, bindings: Partial<typeof env> = {}) {
  const ctx = createExecutionContext()
  const res = await worker.fetch(
    request as Parameters<typeof worker.fetch>[0],
    { ...env, ...bindings } as typeof env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  expectNoSecrets(await res.clone().text())
  await checkContract(request.method, request.url, res)
  return res
}

/** Neon round trips (HTTP requests to the local endpoint) made while `fn` runs. */
export async function countRoundTrips<T>(fn: () => Promise<T>): Promise<{ result: T; roundTrips: number }> {
  const read = async () => {
    const res = await fetch(`${env.LOCAL_NEON_URL}/_local/stats`)
    return ((await res.json()) as { requests: number }).requests
  }
  const before = await read()
  const result = await fn()
  return { result, roundTrips: (await read()) - before }
}

export type ProblemBody = {
  type: string
  title: string
  status: number
  detail: string
  instance: string
  requestId: string
  errors?: { pointer?: string; parameter?: string; detail: string }[]
  resource?: string
}

/** Asserts an RFC 9457 problem response with this status and returns its body. */
export async function expectProblem(res: Response, status: number): Promise<ProblemBody> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  expect(res.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  const body = JSON.parse(text) as ProblemBody
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^tag:/), title: expect.any(String) })
  expect(body.requestId).toBe(res.headers.get('x-request-id'))
  expect(text).not.toMatch(/Failed query|params:|at .*\.ts:\d+|postgres:\/\//)
  return body
}

/** The `name=value` pair of a Set-Cookie header, to send back as a Cookie header. */
export function cookieFrom(res: Response): string {
  const header = res.headers.get('set-cookie')
  if (!header) throw new Error(`no Set-Cookie on ${res.status}`)
  return header.split(';')[0] as string
}

/** A new anonymous learner: their cookie and id. */
export async function newLearner(): Promise<{ cookie: string; id: string }> {
  const res = await api('/v1/session', { method: 'POST' })
  expect(res.status, await res.clone().text()).toBe(201)
  return { cookie: cookieFrom(res), id: ((await res.json()) as { id: string }).id }
}

export const ADMIN_TOKEN = 'test-admin-token-current'

/** A JSON request, with a session cookie or the admin token when given. */
export function send(
  method: string,
  path: string,
  {
    body,
    cookie,
    admin,
    headers: extra,
  }: { body?: unknown; cookie?: string; admin?: boolean; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...extra }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (cookie) headers.Cookie = cookie
  if (admin) headers.Authorization = `Bearer ${ADMIN_TOKEN}`
  return api(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

/** Starts an activity as this learner and submits `answers`: a completed attempt. */
export async function completeActivity(
  cookie: string,
  activityId: string,
  answers: Record<string, unknown> = {},
) {
  const start = await send('POST', `/v1/activities/${activityId}/attempts`, { cookie })
  const started = await json<{ id: string }>(start, 201)
  // As the learner page and the typed client do: the start's token rides along (one round trip).
  return json(
    await send('POST', `/v1/attempts/${started.id}/submit`, {
      cookie,
      body: { response: { answers } },
      headers: submitTokenOf(start),
    }),
    200,
  )
}

/** The Submit-Token header a start answered, as the submit's request header. */
export function submitTokenOf(start: Response): Record<string, string> {
  const token = start.headers.get('submit-token')
  expect(token, 'the start answered a Submit-Token').toBeTruthy()
  return { 'Submit-Token': token as string }
}

/** How a submit was answered (its Server-Timing): one_trip, replayed, or why it took two. */
export const submitPath = (res: Response) =>
  /^submit;desc="([a-z_]+)"$/.exec(res.headers.get('server-timing') ?? '')?.[1]

export async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text) as T
}

/**
 * Runs `before` once, just before the first batch that carries `marker` (an assertion's name, say)
 * goes to the database: a fault-injecting fetchFunction for the Neon driver. Reset it in afterEach.
 */
export function beforeBatchWith(marker: string, before: () => Promise<unknown>) {
  let done = false
  neonConfig.fetchFunction = async (url: string, init: RequestInit) => {
    if (!done && String(init.body).includes(marker)) {
      done = true
      await before()
    }
    return fetch(url, init)
  }
}

/** An activity an author saved and published through the admin API (its checks run), in a new skill and unit. */
export async function authoredActivity(content: ActivityContentInput, type = 'practice') {
  const db = testDb()
  const unit = await insertUnit(db, (await insertSkill(db)).id)
  const res = await send('POST', '/v1/admin/activities', {
    admin: true,
    body: { unitId: unit.id, name: `A ${type}`, type, content, status: 'published' },
  })
  return { ...(await json<{ id: string }>(res, 201)), unitId: unit.id }
}
