import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi'
import { zValidator } from '@hono/zod-validator'
import { type Context, type Handler, Hono, type MiddlewareHandler } from 'hono'
import { mergePath } from 'hono/utils/url'
import type { ZodType } from 'zod'
import { ApiError, validationError } from './errors.ts'
import { isJson } from './http/json.ts'
import type { AppEnv } from './types.ts'

/** The validation targets a route's `request` can declare, as zod-validator names them. */
const TARGETS = { query: 'query', params: 'param', headers: 'header', cookies: 'cookie' } as const

// biome-ignore lint/suspicious/noExplicitAny: any app may be mounted; its schema is OpenAPIHono's business.
type AnyHono = Hono<any, any, any>

type ValidationResult = { success: boolean; error?: unknown; target: string }

/**
 * Every route validates with zod; a failure is thrown as a 400 problem (never the validator's
 * default body), rendered by the app's onError.
 */
function refuseInvalid(result: ValidationResult, c: Context) {
  if (result.success) return
  // A JSON route sent something else (or nothing, with no Content-Type): 415, not a 400 about `{}`.
  if (result.target === 'json' && !isJson(c.req.header('content-type'))) {
    throw new ApiError('unsupported_media_type', 'Send the body as application/json.')
  }
  throw validationError(result.error as Parameters<typeof validationError>[0], result.target)
}

/** The validators of a route's declared parameters and JSON body, in the order @hono/zod-openapi runs them. */
function validatorsOf(request: RouteConfig['request']): MiddlewareHandler[] {
  const validators: MiddlewareHandler[] = []
  for (const [part, target] of Object.entries(TARGETS)) {
    const schema = request?.[part as keyof typeof TARGETS]
    if (schema) validators.push(zValidator(target, schema as ZodType, refuseInvalid) as MiddlewareHandler)
  }
  const media = request?.body?.content?.['application/json']
  const json = media && 'schema' in media ? media.schema : undefined
  if (json) validators.push(zValidator('json', json as ZodType, refuseInvalid) as MiddlewareHandler)
  // LTI's platforms post forms (src/routes/lti.ts).
  const formMedia = request?.body?.content?.['application/x-www-form-urlencoded']
  const form = formMedia && 'schema' in formMedia ? formMedia.schema : undefined
  if (form) validators.push(zValidator('form', form as ZodType, refuseInvalid) as MiddlewareHandler)
  return validators
}

/**
 * A sub-app for one resource, typed as @hono/zod-openapi's OpenAPIHono (so handlers are checked
 * against their declared responses, and `hc<AppType>` knows every route) but with none of its
 * run-time weight: `openapi(route, handler)` installs the route's middleware and zod validators and
 * keeps the definition. The OpenAPI document is generated from those definitions at build time
 * (src/openapi-document.ts), so zod-to-openapi and zod's whole namespace stay out of the Worker.
 */
class ValidatingRouter extends Hono<AppEnv> {
  readonly definitions: RouteConfig[] = []

  openapi = ({ middleware, ...route }: RouteConfig, handler: Handler<AppEnv>) => {
    this.definitions.push(route as RouteConfig)
    const own = middleware === undefined ? [] : Array.isArray(middleware) ? middleware : [middleware]
    const path = route.path.replaceAll(/\/{(.+?)}/g, '/:$1')
    this.on([route.method], [path], ...(own as MiddlewareHandler[]), ...validatorsOf(route.request), handler)
    return this
  }

  /** Mounts `app` as Hono does and, when it is a router, keeps its definitions under the mounted path. */
  override route(path: string, app: AnyHono): AnyHono {
    super.route(path, app)
    if (!(app instanceof ValidatingRouter)) return this
    const prefix = path.replaceAll(/:([^/]+)/g, '{$1}')
    for (const route of app.definitions)
      this.definitions.push({ ...route, path: mergePath(prefix, route.path) })
    return this
  }
}

export type Router = OpenAPIHono<AppEnv>

/** A router with OpenAPIHono's types; see ValidatingRouter for what runs. */
export function createRouter(): Router {
  return new ValidatingRouter() as unknown as Router
}

/** The route definitions mounted on `app`, with their full paths: what the OpenAPI document lists. */
export function routeDefinitions(app: Router): RouteConfig[] {
  const router = app as unknown
  if (!(router instanceof ValidatingRouter)) throw new TypeError('Not an app made by createRouter().')
  return router.definitions
}
