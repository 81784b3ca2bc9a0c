import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { createApp } from './app.ts'
import { routeDefinitions } from './router.ts'

/**
 * The OpenAPI 3.1 document of the API, generated from the route definitions the app mounts
 * (src/router.ts keeps them). It is built ahead of time, never by the Worker, which does not bundle
 * this module nor zod-to-openapi: `npm run openapi` writes public/openapi.json, a static asset served
 * without running the Worker, and test/openapi.test.ts fails when the committed file is stale.
 */
/**
 * A stable camelCase id from the method and the path, for operations that do not name one:
 * `GET /v1/me/attempts/{attemptId}` → `getMeAttemptsByAttemptId`. Generators name client methods
 * after it, so it changes only when the route does.
 */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/v1\//, '/')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment)?.[1]
      return parameter ? ['by', ...parameter.split(/(?=[A-Z])/)] : segment.split(/[-.]/)
    })
  return [method.toLowerCase(), ...words]
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()))
    .join('')
}

const TAGS = [
  {
    name: 'Health',
    description: 'Liveness and the database’s reachability, for load balancers and uptime checks.',
  },
  {
    name: 'Catalogue',
    description: 'Skills, units and activities as learners see them: public, cacheable, no cookie read.',
  },
  { name: 'Session', description: 'A learner’s session on this device, in a signed HttpOnly cookie.' },
  { name: 'Learner', description: 'The learner behind the session: profile, export, deletion.' },
  { name: 'Devices', description: 'The devices a learner is signed in on: one session each.' },
  { name: 'Passkeys', description: 'What signs a learner in on another device (WebAuthn, no password).' },
  {
    name: 'Progress',
    description: 'Attempts graded on the server, skill states, reviews, what counts and what is next.',
  },
  { name: 'Admin: skills', description: 'Authors: skills, their prerequisites and publication.' },
  { name: 'Admin: units', description: 'Authors: units of a skill.' },
  {
    name: 'Admin: activities',
    description: 'Authors: activities with their answer keys, checked when saved.',
  },
  { name: 'Admin: analytics', description: 'Authors: dashboards, item statistics and the attempts CSV.' },
  {
    name: 'Admin: catalogue',
    description: 'Authors: the whole catalogue as one document, exported and imported.',
  },
  { name: 'Admin: classes', description: 'Teachers: classes and their join codes.' },
  { name: 'Admin: LTI', description: 'Admins: the LMS platforms (LTI 1.3) this tool trusts.' },
  {
    name: 'LTI',
    description:
      'LTI 1.3, for LMS platforms: the OIDC login, the launch that signs a learner in, the tool’s keys. Form posts ' +
      'from the platform’s site; pages and redirects, not JSON.',
  },
]

/** The request header a 304 answers to, declared on every operation that can answer one. */
const IF_NONE_MATCH = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'The ETag of an earlier answer: a 304 with no body while it is still current.',
  schema: { type: 'string' },
}

/**
 * Declared in the document rather than in the route definitions: the edge cache reads it, no
 * handler does, and declaring it on the routes would make the typed client ask every catalogue call
 * for a `header` argument.
 */
function declareConditionalRequests<D extends { paths?: object }>(document: D): D {
  for (const methods of Object.values(document.paths ?? {}) as Record<string, unknown>[])
    for (const operation of Object.values(methods) as { responses?: object; parameters?: object[] }[])
      if (operation.responses && '304' in operation.responses)
        operation.parameters = [...(operation.parameters ?? []), IF_NONE_MATCH]
  return document
}

export function openApiDocument() {
  const registry = new OpenAPIRegistry()
  for (const route of routeDefinitions(createApp()))
    registry.registerPath({ operationId: operationIdOf(route.method, route.path), ...route })
  registry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'One of ADMIN_TOKENS.',
  })
  registry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sid',
    description:
      'The session cookie over http (local development), set by POST /v1/session. HttpOnly, so browsers send it by themselves.',
  })
  registry.registerComponent('securitySchemes', 'hostSessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-sid',
    description:
      'The same session cookie over https (production): `__Host-`, Secure, HttpOnly, SameSite=Lax, Path=/.',
  })
  registry.registerComponent('securitySchemes', 'ltiSessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'lti_sid',
    description:
      'A session an LTI launch started (POST /lti/launch), over http: SameSite=None, Secure, Partitioned, so that it ' +
      'works inside the LMS’s frame. Preferred over `sid` when both come (GET|POST /v1/me/merge).',
  })
  registry.registerComponent('securitySchemes', 'hostLtiSessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-lti_sid',
    description: 'The same LTI launch’s session cookie over https (production).',
  })
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Learning progress API',
      version: '0.1.0',
      description:
        'A learning catalogue (skills → units → activities) and what learners do with it: attempts graded ' +
        'on the server, per-unit knowledge, reviews. Learners start anonymously and sign in on other devices ' +
        'with passkeys; authors write the catalogue. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'The deployment serving this document' }],
    tags: TAGS,
  })
  return declareConditionalRequests(document)
}
