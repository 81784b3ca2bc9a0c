/**
 * LMS platforms (LTI 1.3): registered by an admin, listed, approved when they registered themselves,
 * removed; and the grades that never reached one, listed and sent again.
 */
import * as z from 'zod'
import type { LtiPlatform } from '../../db/schema.ts'
import { ApiError } from '../../errors.ts'
import { NO_STORE } from '../../http/cache-control.ts'
import { forgetPlatformOrigins } from '../../lti/frame.ts'
import { listFailedScores, retryFailedScores } from '../../lti/grade-failures.ts'
import { approvePlatform, deletePlatform, listPlatforms, registerPlatform } from '../../lti/platforms.ts'
import { tellQueue } from '../../lti/queue.ts'
import { jsonBody, jsonResponse, problemResponses } from '../../openapi.ts'
import { createRouter } from '../../router.ts'
import { uuidParam } from '../../schemas/common.ts'
import { CreateLtiPlatformSchema, FailedGradeSchema, LtiPlatformSchema } from '../../schemas/lti.ts'
import { adminRoute } from '../define.ts'
import { deleted, failures, found, route } from './shared.ts'

/** https is required in production only: local platforms and the tests run on http://127.0.0.1. */
const URL_FIELDS = ['issuer', 'authLoginUrl', 'accessTokenUrl', 'jwksUrl'] as const

const present = (row: LtiPlatform): z.infer<typeof LtiPlatformSchema> => ({
  ...row,
  status: row.status as 'draft' | 'live',
  createdAt: row.createdAt.toISOString(),
})

export const adminLtiPlatforms = createRouter()
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/lti/platforms', 'LTI', 'Register an LMS platform (LTI 1.3), live at once'),
      request: jsonBody(CreateLtiPlatformSchema),
      responses: {
        201: jsonResponse(LtiPlatformSchema, 'Registered'),
        ...failures,
        ...problemResponses(409),
      },
    }),
    async function register(c) {
      const input = c.req.valid('json')
      const plain = URL_FIELDS.filter((field) => !input[field].startsWith('https://'))
      if (c.env.ENVIRONMENT === 'production' && plain.length > 0) {
        throw new ApiError('validation_failed', 'Platforms are reached over https in production.', {
          errors: plain.map((field) => ({ pointer: `/${field}`, detail: 'must be an https URL' })),
        })
      }
      const platform = await registerPlatform(c.var.db, c.var.author, input)
      forgetPlatformOrigins()
      return c.json(present(platform), 201, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/lti/platforms', 'LTI', 'Every registered LMS platform, drafts included'),
      responses: { 200: jsonResponse(z.object({ items: z.array(LtiPlatformSchema) }), 'Platforms by name') },
    }),
    async function list(c) {
      return c.json({ items: (await listPlatforms(c.var.db)).map(present) }, 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route(
        'post',
        '/v1/admin/lti/platforms/{platformId}/approve',
        'LTI',
        'Approve a platform that registered itself',
      ),
      request: { params: uuidParam('platformId') },
      responses: { 200: jsonResponse(LtiPlatformSchema, 'Live: its launches are accepted'), ...failures },
    }),
    async function approve(c) {
      const platform = found(
        await approvePlatform(c.var.db, c.req.valid('param').platformId),
        'draft platform',
      )
      return c.json(present(platform), 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route(
        'delete',
        '/v1/admin/lti/platforms/{platformId}',
        'LTI',
        'Remove a platform (its learners keep their progress)',
      ),
      request: { params: uuidParam('platformId') },
      responses: { ...deleted, ...failures },
    }),
    async function remove(c) {
      if (!(await deletePlatform(c.var.db, c.req.valid('param').platformId))) {
        throw new ApiError('not_found', 'No platform with this id.')
      }
      forgetPlatformOrigins()
      return c.body(null, 204, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('get', '/v1/admin/lti/grade-failures', 'LTI', 'Grades that never reached their LMS'),
      description:
        'The 100 newest scores a platform refused for good, or never took after the queue’s retries (its dead ' +
        'letters), with what it answered. One round trip.',
      responses: {
        200: jsonResponse(z.object({ items: z.array(FailedGradeSchema) }), 'Newest first'),
        ...failures,
      },
    }),
    async function gradeFailures(c) {
      const rows = await listFailedScores(c.var.db)
      const items = rows.map((row) => ({
        ...row,
        targetKind: row.targetKind as 'activity' | 'unit' | 'skill',
        scoredAt: row.scoredAt.toISOString(),
        failedAt: new Date(row.failedAt).toISOString(),
      }))
      return c.json({ items }, 200, NO_STORE)
    },
  )
  .openapi(
    adminRoute({
      ...route('post', '/v1/admin/lti/grade-failures/retry', 'LTI', 'Send every failed grade again'),
      description:
        'Once what was wrong is fixed (a platform back, a line item restored): every failed score is pending again ' +
        'and the queue sends each link’s newest. One round trip.',
      responses: {
        200: jsonResponse(z.object({ links: z.int() }), 'How many grade links the queue was told to send'),
        ...failures,
      },
    }),
    async function retryGradeFailures(c) {
      const links = await retryFailedScores(c.var.db)
      c.executionCtx.waitUntil(
        tellQueue(
          c.env.LTI_QUEUE,
          links.map((linkId) => ({ kind: 'scores', linkId })),
        ),
      )
      return c.json({ links: links.length }, 200, NO_STORE)
    },
  )
