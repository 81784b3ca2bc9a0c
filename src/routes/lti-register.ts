/** LTI Dynamic Registration's page (src/lti/registration.ts): the URL an LMS admin pastes. */
import * as z from 'zod'
import { toBase64 } from '../lib/encoding.ts'
import { CLOSE_SCRIPT, registeredPage } from '../lti/pages.ts'
import { RegistrationFailed, registerDynamically } from '../lti/registration.ts'
import { limitLtiRegistration } from '../middleware/rate-limit.ts'
import { htmlResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { ltiRoute } from './define.ts'
import { pageHeaders, refuse } from './lti-shared.ts'

export const ltiRegister = createRouter().openapi(
  ltiRoute(
    {
      method: 'get',
      path: '/lti/register',
      tags: ['LTI'],
      summary: 'LTI Dynamic Registration: the URL an LMS admin pastes into the LMS',
      description:
        'The LMS opens it with `openid_configuration` and `registration_token`: the tool reads the configuration ' +
        '(its issuer must be where it lives), registers itself at once, and keeps the platform as a draft an admin ' +
        'approves (`POST /v1/admin/lti/platforms/{platformId}/approve`, or the studio). Rate-limited per address.',
      request: {
        query: z.object({
          openid_configuration: z.string().min(1).max(2000),
          registration_token: z.string().max(4000).optional(),
        }),
      },
      responses: {
        200: htmlResponse('Registered as a draft; the page tells the LMS to close it'),
        403: htmlResponse('The registration failed: the page says why'),
        ...problemResponses(400),
      },
    },
    limitLtiRegistration,
  ),
  async function register(c) {
    const { openid_configuration, registration_token } = c.req.valid('query')
    try {
      const platform = await registerDynamically(c.var.db, {
        configurationUrl: openid_configuration,
        ...(registration_token && { token: registration_token }),
        origin: new URL(c.req.url).origin,
        https: c.env.ENVIRONMENT === 'production',
      })
      const hash = toBase64(
        new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(CLOSE_SCRIPT))),
      )
      return c.html(registeredPage(platform.name), 200, pageHeaders({ script: `'sha256-${hash}='` }))
    } catch (error) {
      if (error instanceof RegistrationFailed)
        return refuse(c, 'registration_failed', `The registration failed: ${error.message}.`)
      throw error
    }
  },
)
