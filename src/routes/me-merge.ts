/**
 * GET|POST /v1/me/merge: after an LTI launch, the browser may also hold its own learner (a top-level
 * page gets both cookies: the new-window launch, a platform on the same site). The learner page
 * offers to bring that learner's progress over, as passkey sign-in does (progress/merge/merge-browser.ts).
 */
import * as z from 'zod'
import { PRIVATE } from '../http/cache-control.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { browserMergePreview, mergeBrowserLearner } from '../progress/merge/merge-browser.ts'
import { createRouter } from '../router.ts'
import { MergePreview } from '../schemas/passkeys.ts'
import { learnerScope } from '../session/middleware.ts'
import { learnerRoute } from './define.ts'

export const meMerge = createRouter()
  .openapi(
    learnerRoute({
      method: 'get',
      path: '/v1/me/merge',
      tags: ['Learner'],
      summary: 'What merging this browser’s own learner into the launch’s would bring over',
      description:
        'With an LTI launch’s session (`lti_sid`) and this browser’s own (`sid`) of another learner: what merging ' +
        'would bring over, and whether it may (only an anonymous learner signed in nowhere else). `merge` is null ' +
        'otherwise. One round trip.',
      responses: {
        200: jsonResponse(z.object({ merge: MergePreview.nullable() }), 'The preview, or null'),
      },
    }),
    async function mergePreview(c) {
      return c.json({ merge: await browserMergePreview(learnerScope(c)) }, 200, PRIVATE)
    },
  )
  .openapi(
    learnerRoute({
      method: 'post',
      path: '/v1/me/merge',
      tags: ['Learner'],
      summary: 'Bring this browser’s own learner’s progress into the launch’s learner',
      description:
        'The consented merge passkey sign-in offers: attempts move, skill states are recomputed from both ' +
        'histories, the older of two open attempts on one activity is abandoned, and this browser’s own learner ' +
        'is deleted (its cookie cleared). A 409 when there is none, or it has a passkey or another live device. ' +
        'Two round trips.',
      responses: {
        200: jsonResponse(
          z.object({ merged: z.object({ attempts: z.int(), skills: z.int() }) }),
          'Merged: what came over',
        ),
        ...problemResponses(409),
      },
    }),
    async function merge(c) {
      return c.json({ merged: await mergeBrowserLearner(learnerScope(c)) }, 200, PRIVATE)
    },
  )
