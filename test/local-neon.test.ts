/**
 * The local Neon-compatible endpoint, driven from inside workerd by the real @neondatabase/serverless
 * driver and by Drizzle, as the Worker drives it. Raw fetches check the protocol where the driver
 * hides it (field descriptions, command tags, refused requests).
 */

import { env } from 'cloudflare:workers'
import { type NeonQueryFunction, neon } from '@neondatabase/serverless'
import { sql as dsql, eq } from 'drizzle-orm'
import {
  bigint,
  boolean,
  customType,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { activityType } from '../src/db/schema.ts'
import { testDb } from './helpers.ts'

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' })

const probe = pgTable('local_neon_probe', {
  id: integer().primaryKey(),
  small: integer(),
  big: bigint({ mode: 'bigint' }),
  exact: numeric(),
  flag: boolean(),
  label: text(),
  ref: uuid(),
  doc: jsonb().$type<unknown>(),
  at: timestamp({ withTimezone: true }),
  kind: activityType(),
  tags: text().array(),
  blob: bytea(),
})

let sql: NeonQueryFunction<false, false>

/** The protocol as the driver sends it, for the cases the driver does not let us see. */
function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(env.NEON_LOCAL_ENDPOINT, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'Neon-Connection-String': env.DATABASE_URL,
      'Neon-Raw-Text-Output': 'true',
      'Neon-Array-Mode': 'true',
      ...headers,
    },
  })
}

beforeEach(async () => {
  sql = testDb().$client
  await sql`DROP TABLE IF EXISTS local_neon_probe`
  await sql`CREATE TABLE local_neon_probe (
    id int PRIMARY KEY, small int, big int8, exact numeric, flag bool, label text, ref uuid,
    doc jsonb, at timestamptz, kind activity_type, tags text[], blob bytea)`
})

afterEach(async () => {
  await sql`DROP TABLE IF EXISTS local_neon_probe`
})

describe('values round-trip through the driver with real type OIDs', () => {
  it('parses every common type from Postgres text', async () => {
    const [row] = await sql`SELECT
      42::int4 AS i4, 9007199254740993::int8 AS i8, 1.50::numeric AS num, true AS yes, false AS no,
      'héllo ✓'::text AS txt, '4c0ffee0-0000-4000-8000-000000000000'::uuid AS id,
      '{"a":[1,{"b":null}]}'::jsonb AS doc, '2026-11-25T10:00:00.123Z'::timestamptz AS at,
      'quiz'::activity_type AS kind, ARRAY[1,2,3]::int4[] AS ints, ARRAY['a','b c']::text[] AS texts,
      '\\x00ff10'::bytea AS bytes, NULL::int4 AS nothing`
    expect(row).toEqual({
      i4: 42,
      i8: '9007199254740993', // int8 stays a string: no precision lost
      num: '1.50',
      yes: true,
      no: false,
      txt: 'héllo ✓',
      id: '4c0ffee0-0000-4000-8000-000000000000',
      doc: { a: [1, { b: null }] },
      at: expect.any(String),
      kind: 'quiz',
      ints: [1, 2, 3],
      texts: ['a', 'b c'],
      bytes: expect.anything(),
      nothing: null,
    })
    expect([...((row?.bytes as Uint8Array | undefined) ?? [])]).toEqual([0, 255, 16])
    // Drizzle's neon-http driver turns the driver's date parsers off globally and maps dates itself.
    expect(new Date(row?.at as string).toISOString()).toBe('2026-11-25T10:00:00.123Z')
  })

  it('sends parameters as text and lets Postgres infer their types', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z')
    const [row] = await sql.query(
      'SELECT $1::int4 + 1 AS n, $2::jsonb AS doc, $3::timestamptz AS at, $4::text[] AS arr, $5::bool AS b, $6::int4 AS nul',
      [41, { k: ['v'] }, at, ['x', 'y,z'], true, null],
    )
    expect(row).toEqual({
      n: 42,
      doc: { k: ['v'] },
      at: expect.any(String),
      arr: ['x', 'y,z'],
      b: true,
      nul: null,
    })
    expect(new Date(row?.at as string)).toEqual(at)
  })

  it('round-trips a row of every column type through Drizzle', async () => {
    const db = testDb()
    const row = {
      id: 1,
      small: -7,
      big: 2n ** 62n,
      exact: '12345678901234567890.123',
      flag: false,
      label: 'emoji 🎓 and combining é',
      ref: crypto.randomUUID(),
      doc: { nested: { list: [1, 'two', null] } },
      at: new Date('2026-11-25T12:34:56.789Z'),
      kind: 'challenge' as const,
      tags: ['x', 'with "quotes"', 'comma,inside'],
      blob: new Uint8Array([1, 2, 3, 254]),
    }
    await db.insert(probe).values(row)
    const [back] = await db.select().from(probe).where(eq(probe.id, 1))
    expect({ ...back, blob: [...(back?.blob ?? [])] }).toEqual({ ...row, blob: [1, 2, 3, 254] })
  })

  it('reports a user-defined enum with its own OID, not text', async () => {
    const res = await post({
      query: "SELECT 'quiz'::activity_type AS kind, 'activity_type'::regtype::oid AS oid",
    })
    const body = (await res.json()) as { fields: { dataTypeID: number }[]; rows: string[][] }
    expect(body.fields[0]?.dataTypeID).toBe(Number(body.rows[0]?.[1]))
    expect(body.fields[0]?.dataTypeID).not.toBe(25)
  })
})

describe('responses have the proxy shape', () => {
  it('describes fields, command and rowCount, even with no rows', async () => {
    const res = await post({ query: 'SELECT id, label FROM local_neon_probe WHERE id = $1', params: ['999'] })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const body = await res.json()
    expect(body).toMatchObject({
      command: 'SELECT',
      rowCount: 0,
      rowAsArray: true,
      rows: [],
      fields: [
        { name: 'id', dataTypeID: 23, dataTypeSize: 4, dataTypeModifier: -1, format: 'text' },
        { name: 'label', dataTypeID: 25, format: 'text' },
      ],
    })
    expect((body as { fields: { tableID: number }[] }).fields[0]?.tableID).toBeGreaterThan(0)
  })

  it('takes rowCount from the command tag', async () => {
    const insert = await sql.query('INSERT INTO local_neon_probe (id) VALUES (1), (2), (3)', [], {
      fullResults: true,
    })
    expect(insert).toMatchObject({ command: 'INSERT', rowCount: 3, fields: [], rows: [] })
    const update = await sql.query('UPDATE local_neon_probe SET small = 1 WHERE id < 3', [], {
      fullResults: true,
    })
    expect(update).toMatchObject({ command: 'UPDATE', rowCount: 2 })
    const create = await sql.query('CREATE TEMP TABLE t_probe (x int)', [], { fullResults: true })
    expect(create).toMatchObject({ command: 'CREATE', rowCount: null })
  })

  it('returns objects when array mode is off, per request or per query', async () => {
    const res = await post({ query: 'SELECT 1::int AS one' }, { 'Neon-Array-Mode': 'false' })
    expect(await res.json()).toMatchObject({ rowAsArray: false, rows: [{ one: '1' }] })
    const perQuery = await post({ queries: [{ query: 'SELECT 2::int AS two', arrayMode: false }] })
    expect(await perQuery.json()).toMatchObject({ results: [{ rowAsArray: false, rows: [{ two: '2' }] }] })
  })

  it('converts to JSON-native values when raw text output is not asked for', async () => {
    const res = await post(
      { query: `SELECT 1::int AS n, true AS b, '{"x":1}'::jsonb AS j` },
      { 'Neon-Raw-Text-Output': 'false' },
    )
    expect(await res.json()).toMatchObject({ rows: [[1, true, { x: 1 }]] })
  })
})

describe('Postgres errors', () => {
  it('are HTTP 400 with every field the driver copies', async () => {
    const res = await post({ query: 'INSERT INTO local_neon_probe (id) VALUES (1), (1)' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      message: expect.stringContaining('duplicate key'),
      code: '23505',
      severity: 'ERROR',
      constraint: 'local_neon_probe_pkey',
      table: 'local_neon_probe',
      schema: 'public',
      detail: 'Key (id)=(1) already exists.',
    })
    for (const field of [
      'hint',
      'position',
      'internalPosition',
      'internalQuery',
      'where',
      'column',
      'dataType',
      'file',
      'line',
      'routine',
    ]) {
      expect(body).toHaveProperty(field)
    }
  })

  it('reach the driver as NeonDbError with code and position', async () => {
    const error = await sql`SELECT * FROM no_such_table`.catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'NeonDbError', code: '42P01', position: '15', severity: 'ERROR' })
  })

  it('refuse several statements in one query, as the extended protocol does', async () => {
    await expect(sql.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: '42601' })
  })
})

describe('transactions (queries batches)', () => {
  it('commit all statements together and return one result each', async () => {
    const results = await sql.transaction([
      sql`INSERT INTO local_neon_probe (id, label) VALUES (1, 'a')`,
      sql`INSERT INTO local_neon_probe (id, label) VALUES (2, 'b')`,
      sql`SELECT count(*)::int AS n FROM local_neon_probe`,
    ])
    expect(results).toEqual([[], [], [{ n: 2 }]])
  })

  it('roll back everything when a later statement fails', async () => {
    const error = await sql
      .transaction([
        sql`INSERT INTO local_neon_probe (id) VALUES (1)`,
        sql`INSERT INTO local_neon_probe (id) VALUES (2)`,
        sql`INSERT INTO local_neon_probe (id) VALUES (1)`,
      ])
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: '23505' })
    expect(await sql`SELECT count(*)::int AS n FROM local_neon_probe`).toEqual([{ n: 0 }])
  })

  it('roll back a Drizzle db.batch whose second statement fails', async () => {
    const db = testDb()
    await expect(
      db.batch([
        db.insert(probe).values({ id: 10, label: 'kept?' }),
        db.insert(probe).values({ id: 11, kind: dsql`'nope'::activity_type` as never }),
      ]),
    ).rejects.toMatchObject({ code: '22P02' })
    expect(await db.select().from(probe)).toEqual([])
  })

  it('honour the isolation, read-only and deferrable headers, and echo them', async () => {
    const res = await post(
      { queries: [{ query: 'SHOW transaction_isolation' }, { query: 'SHOW transaction_read_only' }] },
      {
        'Neon-Batch-Isolation-Level': 'Serializable',
        'Neon-Batch-Read-Only': 'true',
        'Neon-Batch-Deferrable': 'true',
      },
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ results: [{ rows: [['serializable']] }, { rows: [['on']] }] })
    expect(res.headers.get('neon-batch-isolation-level')).toBe('Serializable')
    expect(res.headers.get('neon-batch-read-only')).toBe('true')
    expect(res.headers.get('neon-batch-deferrable')).toBe('true')

    await expect(
      sql.transaction([sql`INSERT INTO local_neon_probe (id) VALUES (1)`], { readOnly: true }),
    ).rejects.toMatchObject({ code: '25006' })
  })

  it('refuse an unknown isolation level', async () => {
    const res = await post({ queries: [{ query: 'SELECT 1' }] }, { 'Neon-Batch-Isolation-Level': 'Chaotic' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ message: 'invalid isolation level' })
  })
})

describe('as Neon’s proxy behaves, where a local database could differ', () => {
  it('discards a connection a request left in a transaction: the next request starts idle', async () => {
    expect((await post({ query: 'BEGIN' })).status).toBe(200)
    expect((await post({ query: 'SELECT 1/0' })).status).toBe(400)
    const next = await post({ query: 'SELECT 1 AS one' })
    expect(next.status, await next.clone().text()).toBe(200)
    expect(await next.json()).toMatchObject({ rows: [['1']] })
  })

  it('takes JSON array parameters as Postgres arrays, and a header as true only when it is exactly true', async () => {
    const res = await post({ query: 'SELECT $1::text[] AS tags', params: [['a', 'b "c"', null]] })
    expect(await res.json()).toMatchObject({ rows: [['{a,"b \\"c\\"",NULL}']] })
    const loose = await post({ query: 'SELECT 1 AS one' }, { 'Neon-Array-Mode': 'yes' })
    expect(loose.status).toBe(200)
    expect(await loose.json()).toMatchObject({ rows: [{ one: '1' }] }) // not array mode
  })

  it('refuses an unknown isolation level on a single query too, and answers a CORS preflight', async () => {
    const single = await post({ query: 'SELECT 1' }, { 'Neon-Batch-Isolation-Level': 'Chaotic' })
    expect(single.status).toBe(400)
    const preflight = await fetch(env.NEON_LOCAL_ENDPOINT, { method: 'OPTIONS' })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Neon-Connection-String')
  })

  it('cancels the query of a client that went away, on PostgreSQL (PGlite cannot be interrupted)', async () => {
    const health = await fetch(new URL('/_local/health', env.NEON_LOCAL_ENDPOINT))
    const { backend } = (await health.json()) as { backend: string }
    if (backend !== 'postgres') return
    const controller = new AbortController()
    const running = fetch(env.NEON_LOCAL_ENDPOINT, {
      method: 'POST',
      body: JSON.stringify({ query: 'SELECT pg_sleep(30) AS long_sleep' }),
      headers: { 'Neon-Connection-String': env.DATABASE_URL },
      signal: controller.signal,
    }).catch(() => null)
    await new Promise((resolve) => setTimeout(resolve, 300))
    controller.abort()
    await running
    const active = async () =>
      (
        await sql`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(30)%'`
      )[0]?.n
    for (let tries = 0; tries < 50 && (await active()) !== 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await active()).toBe(0)
  })
})

describe('malformed and oversize requests', () => {
  it('refuse a request without a connection string', async () => {
    const res = await fetch(env.NEON_LOCAL_ENDPOINT, {
      method: 'POST',
      body: JSON.stringify({ query: 'SELECT 1' }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ message: expect.stringContaining('connection string') })
  })

  it('refuse a body that is not JSON', async () => {
    const res = await post('{"query": ')
    expect(res.status).toBe(400)
  })

  it('refuse an oversize body with 413 before running anything', async () => {
    const huge = 'x'.repeat(11 * 1024 * 1024)
    const res = await post({
      query: 'INSERT INTO local_neon_probe (id, label) VALUES (1, $1)',
      params: [huge],
    })
    expect(res.status).toBe(413)
    expect(await sql`SELECT count(*)::int AS n FROM local_neon_probe`).toEqual([{ n: 0 }])
  })

  it('surface a refused request to the driver as a server error without a SQLSTATE', async () => {
    const huge = 'x'.repeat(11 * 1024 * 1024)
    const error = await sql.query('SELECT $1::text', [huge]).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'NeonDbError', code: undefined })
    expect((error as Error).message).toMatch(/HTTP status 413/)
  })
})

describe('concurrency', () => {
  it('keeps concurrent transactions atomic and isolated', async () => {
    await sql`INSERT INTO local_neon_probe (id, small) VALUES (1, 0)`
    // 25 increments, each a read-modify-write in one transaction, all in flight at once.
    await Promise.all(
      Array.from({ length: 25 }, () =>
        sql.transaction([
          sql`UPDATE local_neon_probe SET small = small + 1 WHERE id = 1`,
          sql`SELECT pg_sleep(0.001)`,
        ]),
      ),
    )
    // Failing batches interleaved with readers: a reader never sees a half-applied batch.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? sql.transaction([sql`INSERT INTO local_neon_probe (id) VALUES (${100 + i})`, sql`SELECT 1/0`])
          : sql`SELECT count(*)::int AS n FROM local_neon_probe`,
      ),
    )
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') expect(outcome.value).toEqual([{ n: 1 }])
      else expect(outcome.reason).toMatchObject({ code: '22012' })
    }
    expect(await sql`SELECT small FROM local_neon_probe WHERE id = 1`).toEqual([{ small: 25 }])
  })

  it('counts one request per driver call', async () => {
    const stats = async () =>
      (await (await fetch(`${env.LOCAL_NEON_URL}/_local/stats`)).json()) as { requests: number }
    const before = await stats()
    await Promise.all([sql`SELECT 1`, sql.transaction([sql`SELECT 1`, sql`SELECT 2`]), sql`SELECT 3`])
    expect((await stats()).requests - before.requests).toBe(3)
  })

  it('serves a standalone client the same way the Worker does', async () => {
    const standalone = neon(env.DATABASE_URL)
    expect(await standalone`SELECT 'ok' AS status`).toEqual([{ status: 'ok' }])
  })
})

describe('development options', () => {
  it('injects a delay before every request, adjustable at run time', async () => {
    const setDelay = (ms: number) => fetch(`${env.LOCAL_NEON_URL}/_local/delay?ms=${ms}`, { method: 'PUT' })
    expect((await setDelay(120)).status).toBe(200)
    try {
      // The Workers clock advances across I/O, so this measures the round trip.
      const started = performance.now()
      await sql`SELECT 1`
      expect(performance.now() - started).toBeGreaterThanOrEqual(120)
    } finally {
      await setDelay(0)
    }
    expect((await setDelay(-1)).status).toBe(400)
  })
})
