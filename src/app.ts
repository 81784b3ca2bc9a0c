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

  return routes
}

/** For Hono's typed client: `hc<AppType>(baseUrl)`. */
export type AppType = ReturnType<typeof createApp>
