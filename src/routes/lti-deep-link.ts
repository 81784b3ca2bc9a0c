/**
 * Deep Linking 2.0's pages: the picker an instructor's launch opens (src/routes/lti.ts), searched, and
 * the choice signed for the platform (src/lti/deep-linking.ts).
 */
import type { Context } from 'hono'
import * as z from 'zod'
import { ApiError } from '../errors.ts'
import type { Launch } from '../lti/claims.ts'
import {
  chosenItems,
  contextKeys,
  deepLinkingResponse,
  pickable,
  signContext,
  verifyContext,
} from '../lti/deep-linking.ts'
import { toolKeys } from '../lti/keys.ts'
import { livePlatform } from '../lti/launch.ts'
import { pickerPage, returnPage } from '../lti/pages.ts'
import { htmlResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import type { AppEnv } from '../types.ts'
import { ltiRoute } from './define.ts'
import { formBody, pageHeaders, refuse } from './lti-shared.ts'

/**
 * The picker's headers: its forms post back to this tool only, and only the platform that asked (the
 * origin of its return URL) may frame it, as the answer's page that posts there.
 */
const pickerHeaders = (returnUrl: string) =>
  pageHeaders({ formAction: "'self'", ancestors: new URL(returnUrl).origin })

/** Deep linking: only an instructor picks, from the published catalogue. Two round trips with the launch's. */
export async function picker(c: Context<AppEnv>, launched: Launch, platformId: string) {
  if (!launched.instructor)
    return refuse(c, 'not_instructor', 'Only instructors can choose content from here.')
  const keys = await contextKeys(c.env.SESSION_SECRETS)
  if (!keys || !launched.deepLinking) throw new ApiError('misconfigured', 'The service is misconfigured.')
  const context = await signContext(keys, {
    ...launched.deepLinking,
    platformId,
    deploymentId: launched.deploymentId,
    issuedAt: Date.now(),
  })
  const rows = await pickable(c.var.db, undefined)
  const { acceptsMultiple, returnUrl } = launched.deepLinking
  return c.html(pickerPage(rows, context, '', acceptsMultiple), 200, pickerHeaders(returnUrl))
}

const DeepLinkQuery = z.object({ context: z.string().min(1).max(4000), q: z.string().max(200).optional() })
const DeepLinkForm = z.object({
  context: z.string().min(1).max(4000),
  item: z.union([z.string().max(100), z.array(z.string().max(100)).max(100)]).optional(),
})

export const ltiDeepLink = createRouter()
  .openapi(
    ltiRoute({
      method: 'get',
      path: '/lti/deep-link',
      tags: ['LTI'],
      summary: 'The deep-linking picker, searched',
      request: { query: DeepLinkQuery },
      responses: {
        200: htmlResponse('The published catalogue, names matching the search'),
        403: htmlResponse('The picker’s context is not ours, or older than an hour'),
        ...problemResponses(400),
      },
    }),
    async function search(c) {
      const { context, q } = c.req.valid('query')
      const keys = await contextKeys(c.env.SESSION_SECRETS)
      if (!keys) throw new ApiError('misconfigured', 'The service is misconfigured.')
      const settings = await verifyContext(keys, context)
      if (!settings)
        return refuse(c, 'deep_link_expired', 'This choice took too long: start it again from your course.')
      const rows = await pickable(c.var.db, q)
      return c.html(
        pickerPage(rows, context, q ?? '', settings.acceptsMultiple),
        200,
        pickerHeaders(settings.returnUrl),
      )
    },
  )
  .openapi(
    ltiRoute({
      method: 'post',
      path: '/lti/deep-link',
      tags: ['LTI'],
      summary: 'The instructor’s choice, signed as an LtiDeepLinkingResponse for the platform',
      request: formBody(DeepLinkForm),
      responses: {
        200: htmlResponse('The signed answer, with the button that posts it to the platform'),
        403: htmlResponse('The picker’s context is not ours, or older than an hour; or its platform is gone'),
        ...problemResponses(400),
      },
    }),
    async function answer(c) {
      const form = c.req.valid('form')
      const [keys, tool] = await Promise.all([
        contextKeys(c.env.SESSION_SECRETS),
        toolKeys(c.env.LTI_PRIVATE_KEYS),
      ])
      if (!keys || !tool) throw new ApiError('misconfigured', 'The service is misconfigured.')
      const context = await verifyContext(keys, form.context)
      if (!context)
        return refuse(c, 'deep_link_expired', 'This choice took too long: start it again from your course.')
      const values = form.item === undefined ? [] : Array.isArray(form.item) ? form.item : [form.item]
      const [platform, chosen] = await Promise.all([
        livePlatform(c.var.db, context.platformId),
        chosenItems(c.var.db, values),
      ])
      if (!platform) return refuse(c, 'unknown_platform', 'The platform that asked is no longer registered.')
      const picked = context.acceptsMultiple ? chosen : chosen.slice(0, 1)
      const launchUrl = new URL('/lti/launch', c.req.url).toString()
      const jwt = await deepLinkingResponse(tool, platform, context, picked, launchUrl)
      // The one form of this page posts to the platform's return URL: form-action allows it, and only it.
      const titles =
        picked.length === 0
          ? ['Nothing chosen: the platform adds nothing.']
          : picked.map((item) => item.title)
      return c.html(
        returnPage(context.returnUrl, jwt, titles),
        200,
        pageHeaders({
          formAction: new URL(context.returnUrl).origin,
          ancestors: new URL(context.returnUrl).origin,
        }),
      )
    },
  )
