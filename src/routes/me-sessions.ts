/**
 * The learner's devices: one session each. A learner signs a lost or shared device out from any
 * other, or every other one at once. One round trip each.
 */

import { and, desc, eq, getTableColumns, ne, sql } from 'drizzle-orm'
import * as z from 'zod'
import { sessions } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { uuidParam } from '../schemas/common.ts'
import { DeviceSchema, presentDevice } from '../schemas/sessions.ts'
import { clearSessionCookie, getCurrentLearner, IDLE_LIMIT } from '../session/learner.ts'
import { sessionOf } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

const DeviceList = z.object({ items: z.array(DeviceSchema) }).meta({ id: 'DeviceList' })

export const meSessions = createRouter()
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/sessions',
      tags: ['Devices'],
      summary: 'The devices this learner is signed in on, most recently used first',
      description: 'Sessions idle for more than a year are over and not listed. `current` marks this device.',
      responses: { 200: jsonResponse(DeviceList, 'The devices') },
    }),
    async function listDevices(c) {
      const { hash } = sessionOf(c)
      const { rows } = await getCurrentLearner(c, (db, learnerId) => ({
        rows: db
          .select({ ...getTableColumns(sessions), current: sql<boolean>`${sessions.tokenHash} = ${hash}` })
          .from(sessions)
          .where(and(eq(sessions.learnerId, learnerId), sql`${sessions.lastUsedAt} > now() - ${IDLE_LIMIT}`))
          .orderBy(desc(sessions.lastUsedAt), desc(sessions.id)),
      }))
      return c.json({ items: rows.map((row) => presentDevice(row, row.current)) }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me/sessions/{sessionId}',
      tags: ['Devices'],
      summary: 'Sign a device out',
      description:
        'Its cookie stops working at once: its next request is a 401. Naming this device signs it out too, and ' +
        'clears its cookie.',
      request: { params: uuidParam('sessionId') },
      responses: { 204: emptyResponse('Signed out'), ...problemResponses(400, 404) },
    }),
    async function signDeviceOut(c) {
      const { sessionId } = c.req.valid('param')
      const { hash } = sessionOf(c)
      const { removed } = await getCurrentLearner(
        c,
        (db, learnerId) => ({
          removed: db
            .delete(sessions)
            .where(and(eq(sessions.id, sessionId), eq(sessions.learnerId, learnerId)))
            .returning({ current: sql<boolean>`${sessions.tokenHash} = ${hash}` }),
        }),
        { retry: false },
      )
      const [device] = removed
      if (!device) throw new ApiError('not_found', 'No device of this learner with this id.')
      if (device.current) clearSessionCookie(c)
      return c.body(null, 204, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me/sessions',
      tags: ['Devices'],
      summary: 'Sign every other device out',
      description: 'This device stays signed in; every other session of the learner ends at once.',
      responses: { 204: emptyResponse('Every other device signed out') },
    }),
    async function signOtherDevicesOut(c) {
      const { hash } = sessionOf(c)
      await getCurrentLearner(
        c,
        (db, learnerId) => ({
          removed: db
            .delete(sessions)
            .where(and(eq(sessions.learnerId, learnerId), ne(sessions.tokenHash, hash))),
        }),
        { retry: false },
      )
      return c.body(null, 204, PRIVATE)
    },
  )
