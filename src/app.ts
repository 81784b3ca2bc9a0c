import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { notFound, onError } from './errors.ts'
import { jsonOnly, limitBody } from './middleware/body.ts'
import { database } from './middleware/db.ts'
import { edgeCache } from './middleware/edge-cache.ts'
import { corsForAllowlist, sameOriginWrites } from './middleware/origin.ts'
import { limitProgressWrites, limitSessionCreation } from './middleware/rate-limit.ts'
import { requestLog } from './middleware/request-log.ts'
import { createRouter } from './router.ts'
import { adminActivities } from './routes/admin/activities.ts'
import { adminAuth } from './routes/admin/shared.ts'
import { adminSkills } from './routes/admin/skills.ts'
import { adminStats } from './routes/admin/stats.ts'
import { adminUnits } from './routes/admin/units.ts'
import { attemptRoutes } from './routes/attempts.ts'
import { catalogue } from './routes/catalogue.ts'
import { docs } from './routes/docs.ts'
import { health } from './routes/health.ts'
import { history } from './routes/history.ts'
import { me } from './routes/me.ts'
import { review } from './routes/review.ts'
import { session } from './routes/session.ts'
import { readSession } from './session/middleware.ts'

/**
 * The one app factory: the Worker entry and the tests both build the API here, so tests exercise
 * exactly the middleware, error handling and routes that production runs.
 */
export function createApp() {
  const app = createRouter()
  app.use(requestId())
  app.use(requestLog)
  app.use(secureHeaders())
  app.use('/v1/*', corsForAllowlist)
  app.use('/v1/*', sameOriginWrites)
  app.use('/v1/*', limitBody)
  app.use('/v1/*', jsonOnly)
  app.use('/v1/*', edgeCache)
  app.use(database)
  // Credentials, declared once per path (a sub-app's own use() would run again for every sibling):
  app.use('/v1/admin/*', adminAuth)
  for (const path of [
    '/v1/session',
    '/v1/me',
    '/v1/me/*',
    '/v1/attempts/*',
    '/v1/activities/:activityId/attempts',
  ]) {
    app.use(path, readSession)
  }
  // Rate limits, after the session is known (progress writes are counted per learner):
  app.use('/v1/session', limitSessionCreation)
  app.use('/v1/attempts/*', limitProgressWrites)
  app.use('/v1/activities/:activityId/attempts', limitProgressWrites)
  app.onError(onError)
  app.notFound(notFound)

  const routes = app
    .route('/', health)
    .route('/', catalogue)
    .route('/', session)
    .route('/', me)
    .route('/', attemptRoutes)
    .route('/', history)
    .route('/', review)
    .route('/', adminSkills)
    .route('/', adminUnits)
    .route('/', adminActivities)
    .route('/', adminStats)
    .route('/', docs)

  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'One of ADMIN_TOKENS.',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sid',
    description:
      'Set by POST /v1/session; named `__Host-sid` over https. HttpOnly, so browsers send it by themselves.',
  })
  // Generating the document walks every schema (~20 ms of CPU): once per isolate is enough.
  let document: ReturnType<typeof app.getOpenAPI31Document> | undefined
  app.get('/openapi.json', (c) => {
    document ??= app.getOpenAPI31Document(openApiConfig)
    return c.json(document, 200, { 'Cache-Control': 'public, max-age=300' })
  })
  return routes
}

const openApiConfig = {
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
    { name: 'Progress', description: 'Attempts, server-side grading and skill states.' },
  ],
} satisfies Parameters<ReturnType<typeof createRouter>['getOpenAPI31Document']>[0]

/** For Hono's typed client: `hc<AppType>(baseUrl)`. */
export type AppType = ReturnType<typeof createApp>
