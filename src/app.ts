import { requestId } from 'hono/request-id'
import { notFound, onError } from './errors.ts'
import { database } from './middleware/db.ts'
import { createRouter } from './router.ts'
import { health } from './routes/health.ts'

/**
 * The one app factory: the Worker entry and the tests both build the API here, so tests exercise
 * exactly the middleware, error handling and routes that production runs.
 */
export function createApp() {
  const app = createRouter()
  app.use(requestId())
  app.use(database)
  app.onError(onError)
  app.notFound(notFound)

  const routes = app.route('/', health)

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Learning progress API',
      version: '0.1.0',
      description:
        'A learning catalogue (skills → units → activities) and what anonymous learners do with it.',
    },
  })
  return routes
}

/** For Hono's typed client: `hc<AppType>(baseUrl)`. */
export type AppType = ReturnType<typeof createApp>
