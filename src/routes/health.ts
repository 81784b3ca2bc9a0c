import * as z from 'zod'
import { ping } from '../db/client.ts'
import { ApiError } from '../errors.ts'
import { NO_STORE } from '../http/cache-control.ts'
import { jsonResponse } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { databaseRoute, publicRoute } from './define.ts'

const Liveness = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' })
const DatabaseHealth = z
  .object({
    status: z.literal('ok'),
    latencyMs: z.number().meta({ description: 'Time for one `select 1` round trip, in milliseconds.' }),
  })
  .meta({ id: 'DatabaseHealth' })

export const health = createRouter()
  .openapi(
    publicRoute({
      method: 'get',
      path: '/health',
      tags: ['Health'],
      summary: 'Liveness: the Worker answers (no database call)',
      responses: {
        200: jsonResponse(Liveness, 'Alive'),
      },
    }),
    (c) => c.json({ status: 'ok' as const }, 200, NO_STORE),
  )
  .openapi(
    databaseRoute({
      method: 'get',
      path: '/health/db',
      tags: ['Health'],
      summary: 'Readiness: one `select 1` round trip to the database',
      responses: {
        200: jsonResponse(DatabaseHealth, 'The database answered'),
      },
    }),
    async function databaseHealth(c) {
      const started = performance.now()
      try {
        await ping(c.var.db)
      } catch (cause) {
        throw new ApiError('database_unavailable', 'The database did not answer.', {
          cause,
          headers: { 'Retry-After': '5' },
        })
      }
      // The Workers clock only advances across I/O; the round trip is I/O, so this measures it.
      const latencyMs = Math.round((performance.now() - started) * 10) / 10
      return c.json({ status: 'ok' as const, latencyMs }, 200, NO_STORE)
    },
  )
