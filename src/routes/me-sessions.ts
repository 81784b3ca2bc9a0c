/**
 * The learner's devices: one session each. A learner signs a lost or shared device out from any
 * other, or every other one at once. One round trip each.
 */

import * as z from 'zod'
import { ApiError } from '../errors.ts'
import { PRIVATE } from '../http/cache-control.ts'
import { emptyResponse, jsonResponse, problemResponses } from '../openapi.ts'
import { REPLAYED } from '../progress/write/idempotency.ts'
import { createRouter } from '../router.ts'
import { IdempotencyKeyHeader, uuidParam } from '../schemas/common.ts'
import { DeviceSchema, presentDevice } from '../schemas/sessions.ts'
import { listDevices, signDeviceOut, signOtherDevicesOut } from '../session/account.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'
import { idempotencyKeyOf } from './idempotency-key.ts'

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
    async function devices(c) {
      const rows = await listDevices(learnerScope(c))
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
      request: { params: uuidParam('sessionId'), headers: IdempotencyKeyHeader },
      responses: {
        204: emptyResponse('Signed out', ['Idempotent-Replayed']),
        ...problemResponses(400, 404, 409, 422),
      },
    }),
    async function deviceOut(c) {
      const { sessionId } = c.req.valid('param')
      const out = await signDeviceOut(learnerScope(c), sessionId, await idempotencyKeyOf(c, { body: false }))
      if (!out.found) throw new ApiError('not_found', 'No device of this learner with this id.')
      return c.body(null, 204, { ...PRIVATE, ...(out.replayed && REPLAYED) })
    },
  )
  .openapi(
    learnerRoute({
      method: 'delete',
      path: '/v1/me/sessions',
      tags: ['Devices'],
      summary: 'Sign every other device out',
      description: 'This device stays signed in; every other session of the learner ends at once.',
      request: { headers: IdempotencyKeyHeader },
      responses: {
        204: emptyResponse('Every other device signed out', ['Idempotent-Replayed']),
        ...problemResponses(409, 422),
      },
    }),
    async function otherDevicesOut(c) {
      const out = await signOtherDevicesOut(learnerScope(c), await idempotencyKeyOf(c, { body: false }))
      return c.body(null, 204, { ...PRIVATE, ...(out.replayed && REPLAYED) })
    },
  )
