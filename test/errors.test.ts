/**
 * One error shape for every failure. Test-only routes are mounted on the real app factory, so the
 * middleware and onError under test are the production ones.
 */

import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as z from 'zod'
import { createApp } from '../src/app.ts'
import { skillStates } from '../src/db/schema.ts'
import { parseEnv } from '../src/env.ts'
import { ApiError } from '../src/errors.ts'
import { insertLearner, insertSkill } from './fixtures.ts'
import { api, expectProblem } from './helpers.ts'

function appWithTestRoutes() {
  const app = createApp()
  app.get('/boom', () => {
    throw new Error('internal detail: token=abc123')
  })
  app.get('/bad-sql', async (c) => {
    await c.var.db.execute(sql`SELECT * FROM secret_table_name WHERE password = ${'p@ss'}`)
    return c.text('unreachable')
  })
  app.get('/lone-surrogate', async (c) => {
    // What validation now refuses, sent to the database anyway: the backstop must still say 400.
    await c.var.db.execute(sql`SELECT ${'{"a":"\\ud800"}'}::jsonb`)
    return c.text('unreachable')
  })
  app.get('/api-error', () => {
    throw new ApiError('conflict', 'The attempt was already submitted.')
  })
  app.get('/hono-401', () => {
    throw new HTTPException(401, {
      res: new Response('Unauthorized', {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer realm="admin"' },
      }),
    })
  })
  app.get('/duplicate', async (c) => {
    const learner = await insertLearner(c.var.db)
    const skill = await insertSkill(c.var.db)
    const state = { learnerId: learner.id, skillId: skill.id }
    await c.var.db.insert(skillStates).values([state, state])
    return c.text('unreachable')
  })
  app.openapi(
    {
      method: 'post',
      path: '/echo',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.strictObject({ name: z.string().max(5), tags: z.array(z.string()).max(2) }),
            },
          },
        },
      },
      responses: { 200: { description: 'echo' } },
    },
    (c) => c.json(c.req.valid('json')),
  )
  return app
}

const app = appWithTestRoutes()
const bindings = (() => {
  const result = parseEnv(env)
  if (!result.ok) throw new Error('test bindings are invalid')
  return result.env
})()
const request = (path: string, init?: RequestInit) => app.request(path, init, bindings)
const postJson = (path: string, body: string) =>
  request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('unknown failures', () => {
  it('are a 500 problem with a generic detail, logged once with the request id', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const res = await request('/boom')
    const text = await res.clone().text()
    const problem = await expectProblem(res, 500)
    expect(problem.detail).toMatch(/request id/)
    expect(text).not.toContain('abc123')
    expect(log).toHaveBeenCalledTimes(1)
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject({
      level: 'error',
      requestId: problem.requestId,
      path: '/boom',
      error: 'Error',
    })
  })

  it('never put SQL, params or table names in the response or the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const res = await request('/bad-sql')
    const text = await res.clone().text()
    await expectProblem(res, 500)
    const logged = log.mock.calls.map((call) => call.join(' ')).join('\n')
    for (const leak of ['secret_table_name', 'p@ss', 'SELECT', 'Failed query']) {
      expect(text).not.toContain(leak)
      expect(logged).not.toContain(leak)
    }
    expect(logged).toContain('"sqlstate":"42P01"')
  })
})

describe('a value the database refuses (22P02 and its kin)', () => {
  it('is a 400 problem, logged as an error with its SQLSTATE (it may be a bug in our own SQL)', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const problem = await expectProblem(await request('/lone-surrogate'), 400)
    expect(problem.detail).toMatch(/cannot be stored/)
    const lines = log.mock.calls.map((call) => JSON.parse(String(call[0])))
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', sqlstate: '22P02', path: '/lone-surrogate' }),
    ])
  })
})

describe('known failures', () => {
  it('ApiError renders its own code and detail, quietly', async () => {
    const log = vi.spyOn(console, 'error')
    const problem = await expectProblem(await request('/api-error'), 409)
    expect(problem).toMatchObject({
      type: 'tag:learning-progress-api,2026:problems:conflict',
      title: 'Conflict',
      detail: 'The attempt was already submitted.',
      instance: '/api-error',
    })
    expect(log).not.toHaveBeenCalled()
  })

  it("Hono's own HTTPExceptions become problems and keep their headers", async () => {
    const res = await request('/hono-401')
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="admin"')
    await expectProblem(res, 401)
  })

  it('a unique violation is a 409 problem', async () => {
    await expectProblem(await request('/duplicate'), 409)
  })

  it('an unknown route is a 404 problem', async () => {
    const problem = await expectProblem(await api('/no/such/route'), 404)
    expect(problem.detail).toBe('No route for GET /no/such/route.')
  })
})

describe('request bodies', () => {
  it('malformed JSON is a 400 problem', async () => {
    for (const body of ['{', '{"name": "a"} trailing', '']) {
      const problem = await expectProblem(await postJson('/echo', body), 400)
      expect(problem.type).toMatch(/malformed_json$/)
    }
  })

  it('each invalid field is listed with a JSON pointer, and the input is not echoed', async () => {
    const res = await postJson(
      '/echo',
      JSON.stringify({ name: 'much too long', tags: ['a', 'b', 'c'], extra: 1 }),
    )
    const text = await res.clone().text()
    const problem = await expectProblem(res, 400)
    expect(problem.type).toMatch(/validation_failed$/)
    expect(problem.errors?.map((e) => e.pointer).sort()).toEqual(['#', '#/name', '#/tags'])
    expect(text).not.toContain('much too long')
  })

  it('valid input reaches the handler', async () => {
    const res = await postJson('/echo', JSON.stringify({ name: 'ok', tags: [] }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ name: 'ok', tags: [] })
  })
})
