/**
 * LTI 1.3's endpoints, pinned so that a platform admin and the tests can rely on them:
 * GET|POST /lti/login (third-party-initiated login), POST /lti/launch (the redirect URI), GET /lti/jwks
 * (the tool's public keys), GET /lti/app/ (the learner page inside an LMS). Deep linking's pages are
 * in lti-deep-link.ts, Dynamic Registration's in lti-register.ts. Pages, redirects and a key set; never JSON problems for a refused launch,
 * which is a page naming what was wrong (and a security event in the log).
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie } from 'hono/cookie'
import * as z from 'zod'
import { ApiError } from '../errors.ts'
import { CLASS_VIEW_COOKIE, CLASS_VIEW_SECONDS, sealPass } from '../lti/class-view.ts'
import { frameAncestors, LEARNER_PAGE_CSP, LEARNER_PAGE_PERMISSIONS, platformOrigins } from '../lti/frame.ts'
import { toolKeys } from '../lti/keys.ts'
import { LaunchRefused, signInLaunch, verifyLaunch } from '../lti/launch.ts'
import { authenticationUrl, type LoginRequest, newNonce, platformForLogin } from '../lti/login.ts'
import { newWindowPage } from '../lti/pages.ts'
import { tellQueue } from '../lti/queue.ts'
import { signState, stateKeys, verifyState } from '../lti/state.ts'
import { emptyResponse, htmlResponse, jsonResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { embeddableCookie, embeddableSessionCookie, sessionKeys, signSessionId } from '../session/cookie.ts'
import type { AppEnv } from '../types.ts'
import { ltiRoute } from './define.ts'
import { picker } from './lti-deep-link.ts'
import { formBody, pageHeaders, redirect, refuse } from './lti-shared.ts'

const STATE_COOKIE = 'lti_state'
const CHECK_COOKIE = 'lti_check'
const TEN_MINUTES = 600

const loginFields = {
  iss: z.string().min(1).max(2000),
  login_hint: z.string().min(1).max(2000),
  target_link_uri: z.string().min(1).max(2000),
  lti_message_hint: z.string().max(4000).optional(),
  client_id: z.string().max(2000).optional(),
  lti_deployment_id: z.string().max(2000).optional(),
  /** Ours: set on the hop that checks the frame keeps cookies. */
  checked: z.string().max(1).optional(),
}
const LoginParams = z.object(loginFields)

const loginResponses = {
  302: emptyResponse('To the platform’s authentication endpoint, with the state and nonce', [
    'Location',
    'Set-Cookie',
  ]),
  303: emptyResponse('The same login again, once a test cookie is set (does the frame keep cookies?)', [
    'Location',
    'Set-Cookie',
  ]),
  200: htmlResponse('The frame keeps no cookies: the same login offered in a new window'),
  403: htmlResponse('A refused login (a platform nobody registered): the page says what was wrong'),
  ...problemResponses(400),
}

async function login(c: Context<AppEnv>, params: LoginRequest & { checked?: string }) {
  const { iss } = params
  const { checked: _checked, ...request } = params
  const again = new URL('/lti/login', c.req.url)
  for (const [key, value] of Object.entries(request))
    if (value !== undefined) again.searchParams.set(key, value)
  if (params.checked !== '1') {
    // A hop to see whether this frame keeps cookies before the platform's one-time sign-in step.
    again.searchParams.set('checked', '1')
    c.header('Set-Cookie', embeddableCookie(CHECK_COOKIE, '1', TEN_MINUTES, '/lti'))
    return redirect(c, again.toString(), 303)
  }
  if (getCookie(c, CHECK_COOKIE) !== '1') return c.html(newWindowPage(again.toString()), 200, pageHeaders())
  const platform = await platformForLogin(c.var.db, iss, params.client_id)
  if (!platform) return refuse(c, 'unknown_platform', `No live platform is registered for ${iss}.`)
  const keys = await stateKeys(c.env.SESSION_SECRETS)
  if (!keys) throw new ApiError('misconfigured', 'The service is misconfigured.')
  const nonce = newNonce()
  const state = await signState(keys, { platformId: platform.id, nonce, issuedAt: Date.now() })
  c.header('Set-Cookie', embeddableCookie(STATE_COOKIE, state, TEN_MINUTES, '/lti'))
  const redirectUri = new URL('/lti/launch', c.req.url).toString()
  return redirect(c, authenticationUrl(platform, request, { redirectUri, state, nonce }), 302)
}

const LaunchForm = z.object({
  id_token: z.string().max(60_000).optional(),
  state: z.string().max(1000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
})

export const lti = createRouter()
  .openapi(
    ltiRoute({
      method: 'get',
      path: '/lti/jwks',
      tags: ['LTI'],
      summary: 'The tool’s public keys (JWKS): platforms verify its messages with them',
      responses: {
        200: jsonResponse(z.object({ keys: z.array(z.record(z.string(), z.string())) }), 'The key set'),
      },
    }),
    async function jwks(c) {
      const keys = await toolKeys(c.env.LTI_PRIVATE_KEYS)
      if (!keys) throw new ApiError('misconfigured', 'The service is misconfigured.')
      return c.json({ keys: keys.published as unknown as Record<string, string>[] }, 200, {
        'Cache-Control': 'public, max-age=300',
      })
    },
  )
  .openapi(
    ltiRoute({
      method: 'get',
      path: '/lti/login',
      tags: ['LTI'],
      summary: 'OIDC third-party-initiated login, by link',
      request: { query: LoginParams },
      responses: loginResponses,
    }),
    (c) => login(c, c.req.valid('query')),
  )
  .openapi(
    ltiRoute({
      method: 'post',
      path: '/lti/login',
      tags: ['LTI'],
      summary: 'OIDC third-party-initiated login, by form post',
      request: formBody(LoginParams),
      responses: loginResponses,
    }),
    (c) => login(c, c.req.valid('form')),
  )
  .openapi(
    ltiRoute({
      method: 'post',
      path: '/lti/launch',
      tags: ['LTI'],
      summary: 'The redirect URI: a platform’s signed launch signs the learner in',
      description:
        'Verifies the id_token against the platform’s keys and the browser’s login state, uses its nonce once, ' +
        'signs in the learner of (iss, sub) — created on their first launch — and answers 303 to the learner page ' +
        'of what the link’s custom parameter `activity`, `unit` or `skill` names. Two round trips.',
      request: formBody(LaunchForm),
      responses: {
        303: emptyResponse(
          'Signed in: a learner to the learner page, an instructor to their course’s class (/lti/class)',
          ['Location', 'Set-Cookie'],
        ),
        200: htmlResponse(
          'A deep-linking request from an instructor: the picker of the published catalogue',
          ['Set-Cookie'],
        ),
        403: htmlResponse('A refused launch: the page names what was wrong', ['Set-Cookie']),
        ...problemResponses(400),
      },
    }),
    async function launch(c) {
      const form = c.req.valid('form')
      const cookie = getCookie(c, STATE_COOKIE)
      // The state is good for one launch, whatever becomes of this one.
      deleteCookie(c, STATE_COOKIE, { path: '/lti', secure: true, sameSite: 'None', partitioned: true })
      if (form.error)
        return refuse(
          c,
          'platform_error',
          `The platform refused the sign-in: ${form.error_description ?? form.error}.`,
        )
      if (!form.state || !form.id_token || cookie !== form.state)
        return refuse(
          c,
          'state_mismatch',
          'This launch did not start in this browser: start it again from your course.',
        )
      const keys = await stateKeys(c.env.SESSION_SECRETS)
      const sessions = await sessionKeys(c.env.SESSION_SECRETS)
      if (!keys || !sessions) throw new ApiError('misconfigured', 'The service is misconfigured.')
      const state = await verifyState(keys, form.state)
      if (!state)
        return refuse(
          c,
          'state_expired',
          'The login took too long or was not ours: start it again from your course.',
        )
      try {
        const launched = await verifyLaunch(c.var.db, form.id_token, state)
        if (launched.deepLinking) return await picker(c, launched, state.platformId)
        const signedIn = await signInLaunch(c.var.db, launched, c.req.header('user-agent'))
        c.header(
          'Set-Cookie',
          embeddableSessionCookie(c.req.url, await signSessionId(signedIn.sessionId, sessions.signing)),
          {
            append: true,
          },
        )
        const landing = `/lti/app/${signedIn.landing ?? ''}`
        if (!signedIn.course) return redirect(c, new URL(landing, c.req.url).toString(), 303)
        // An instructor: their course's roster is read through the queue, and they land on its class.
        if (launched.context?.membershipsUrl)
          c.executionCtx.waitUntil(
            tellQueue(c.env.LTI_QUEUE, [
              { kind: 'roster', platformId: launched.platformId, contextId: launched.context.id },
            ]),
          )
        const pass = { ...signedIn.course, landing, expiresAt: Date.now() + CLASS_VIEW_SECONDS * 1000 }
        c.header(
          'Set-Cookie',
          embeddableCookie(
            CLASS_VIEW_COOKIE,
            await sealPass(c.env.SESSION_SECRETS, pass),
            CLASS_VIEW_SECONDS,
            '/lti/class',
          ),
          { append: true },
        )
        return redirect(c, new URL('/lti/class', c.req.url).toString(), 303)
      } catch (error) {
        if (error instanceof LaunchRefused) return refuse(c, error.reason, error.message)
        throw error
      }
    },
  )
  .openapi(
    ltiRoute({
      method: 'get',
      path: '/lti/app/',
      tags: ['LTI'],
      summary: 'The learner page, inside an LMS: where a launch lands',
      description:
        'The learner page (`/`), served by the Worker so that the approved platforms, and only they, may frame it ' +
        '(`frame-ancestors`); `/` itself is framed by nobody. A launch lands on `/lti/app/#/activities/<id>` (or a ' +
        'skill). One round trip at most a minute per isolate, to read the approved platforms.',
      responses: { 200: htmlResponse('The learner page, framed by the approved platforms only') },
    }),
    async function app(c) {
      const [page, origins] = await Promise.all([
        c.env.ASSETS.fetch(new URL('/index.html', c.req.url)),
        platformOrigins(c.var.db),
      ])
      if (!page.ok) throw new ApiError('misconfigured', 'The learner page is missing from the assets.')
      return c.html(await page.text(), 200, {
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': `${LEARNER_PAGE_CSP}; frame-ancestors ${frameAncestors(origins)}`,
        'Permissions-Policy': LEARNER_PAGE_PERMISSIONS,
      })
    },
  )
