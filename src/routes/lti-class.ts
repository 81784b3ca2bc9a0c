/**
 * GET /lti/class: an instructor's read-only view of their course's class, opened by their launch
 * (lti/class-view.ts). Framed by the approved platforms only, as the learner page is.
 */
import { getCookie } from 'hono/cookie'
import { CLASS_VIEW_COOKIE, openPass, readClassView } from '../lti/class-view.ts'
import { frameAncestors, platformOrigins } from '../lti/frame.ts'
import { classPage, classPassExpiredPage } from '../lti/pages.ts'
import { htmlResponse } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { ltiRoute } from './define.ts'
import { pageHeaders } from './lti-shared.ts'

export const ltiClass = createRouter().openapi(
  ltiRoute({
    method: 'get',
    path: '/lti/class',
    tags: ['LTI'],
    summary: 'An instructor’s read-only view of their course’s class',
    description:
      'Opened by an instructor’s launch, which sets a pass for that course’s class alone (a cookie only this page ' +
      'reads, good for eight hours): how many of the course’s learners are in the class (its roster, synced through ' +
      'the queue) and, for the skill the link is about, how the class stands on it. One round trip (and the ' +
      'approved platforms, at most once a minute per isolate).',
    responses: {
      200: htmlResponse('The class, and the class’s numbers on the link’s skill'),
      403: htmlResponse('No pass, or an expired one: open it from the course again'),
    },
  }),
  async function classView(c) {
    const pass = await openPass(c.env.SESSION_SECRETS, getCookie(c, CLASS_VIEW_COOKIE))
    const [view, origins] = await Promise.all([
      pass ? readClassView(c.var.db, pass) : null,
      platformOrigins(c.var.db),
    ])
    const headers = pageHeaders({ ancestors: frameAncestors(origins) })
    if (!view) return c.html(classPassExpiredPage, 403, headers)
    return c.html(classPage(view, pass?.landing ?? null), 200, headers)
  },
)
