import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import { createApp } from './app.ts'
import { routeDefinitions } from './router.ts'

/**
 * The OpenAPI 3.1 document of the API, generated from the route definitions the app mounts
 * (src/router.ts keeps them). It is built ahead of time, never by the Worker, which does not bundle
 * this module nor zod-to-openapi: `npm run openapi` writes public/openapi.json, a static asset served
 * without running the Worker, and test/openapi.test.ts fails when the committed file is stale.
 */
export function openApiDocument() {
  const registry = new OpenAPIRegistry()
  for (const route of routeDefinitions(createApp())) registry.registerPath(route)
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
      'Set by POST /v1/session; named `__Host-sid` over https. HttpOnly, so browsers send it by themselves.',
  })
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Learning progress API',
      version: '0.1.0',
      description:
        'A learning catalogue (skills → units → activities) and what anonymous learners do with it. ' +
        'Errors are RFC 9457 problem details (`application/problem+json`).',
    },
    tags: [
      { name: 'Catalogue', description: 'Public, cacheable, no cookie read.' },
      { name: 'Session', description: 'Anonymous sessions in a signed, HttpOnly cookie.' },
      { name: 'Learner', description: 'The learner behind the session.' },
      { name: 'Devices', description: 'The devices a learner is signed in on: one session each.' },
      { name: 'Passkeys', description: 'What signs a learner in on another device (WebAuthn, no password).' },
      { name: 'Progress', description: 'Attempts, server-side grading and skill states.' },
    ],
  })
}
