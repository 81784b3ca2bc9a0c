import { requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
import { notFound, onError } from './errors.ts'
import { database } from './middleware/db.ts'
import { httpsOnly } from './middleware/https.ts'
import { methodNotAllowed } from './middleware/method-not-allowed.ts'
import { corsForAllowlist } from './middleware/origin.ts'
import { requestLog } from './middleware/request-log.ts'
import { createRouter } from './router.ts'
import { adminActivities } from './routes/admin/activities.ts'
import { adminActivityStats } from './routes/admin/activity-stats.ts'
import { adminAnalytics } from './routes/admin/analytics.ts'
import { adminAttemptsCsv } from './routes/admin/attempts-csv.ts'
import { adminCatalogue } from './routes/admin/catalogue.ts'
import { adminClasses } from './routes/admin/classes.ts'
import { adminLtiPlatforms } from './routes/admin/lti-platforms.ts'
import { adminQuestionBanks } from './routes/admin/question-banks.ts'
import { adminSkills } from './routes/admin/skills.ts'
import { adminStructure } from './routes/admin/structure.ts'
import { adminUnits } from './routes/admin/units.ts'
import { attemptRoutes } from './routes/attempts.ts'
import { catalogue } from './routes/catalogue.ts'
import { docs } from './routes/docs.ts'
import { health } from './routes/health.ts'
import { lti } from './routes/lti.ts'
import { ltiClass } from './routes/lti-class.ts'
import { ltiDeepLink } from './routes/lti-deep-link.ts'
import { ltiRegister } from './routes/lti-register.ts'
import { me } from './routes/me.ts'
import { meAttempts } from './routes/me-attempts.ts'
import { meClasses } from './routes/me-classes.ts'
import { meCredit } from './routes/me-credit.ts'
import { meExport } from './routes/me-export.ts'
import { meMerge } from './routes/me-merge.ts'
import { meNext } from './routes/me-next.ts'
import { mePasskeys } from './routes/me-passkeys.ts'
import { meReview } from './routes/me-review.ts'
import { meSessions } from './routes/me-sessions.ts'
import { meSkills } from './routes/me-skills.ts'
import { search } from './routes/search.ts'
import { session } from './routes/session.ts'
import { sessionPasskey } from './routes/session-passkey.ts'

/**
 * The one app factory: the Worker entry and the tests both build the API here, so tests exercise
 * exactly the middleware, error handling and routes that production runs. Only what every request
 * shares is installed here; what a route needs (credential, rate limit, body limit, edge cache) is
 * declared on the route itself (src/routes/define.ts).
 */
export function createApp() {
  const app = createRouter()
  app.use(requestId())
  app.use(requestLog)
  app.use(httpsOnly)
  // The routes are registered below; the middleware reads them at the first request.
  app.use(methodNotAllowed(() => app.routes))
  // JSON responses load nothing and are framed nowhere; a route with a page of its own (/docs) sets its own CSP.
  const apiHeaders = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xFrameOptions: 'DENY',
    overwrite: false,
  })
  // LTI's pages live in an LMS's frame: their own CSP names who may frame them (src/lti/frame.ts), and
  // X-Frame-Options, which can only deny, is not sent.
  const ltiHeaders = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xFrameOptions: false,
    overwrite: false,
  })
  app.use((c, next) => (c.req.path.startsWith('/lti/') ? ltiHeaders(c, next) : apiHeaders(c, next)))
  app.use('/v1/*', corsForAllowlist)
  app.use(database)
  app.onError(onError)
  app.notFound(notFound)

  return app
    .route('/', health)
    .route('/', catalogue)
    .route('/', search)
    .route('/', session)
    .route('/', sessionPasskey)
    .route('/', me)
    .route('/', meSessions)
    .route('/', mePasskeys)
    .route('/', meExport)
    .route('/', meSkills)
    .route('/', meAttempts)
    .route('/', meCredit)
    .route('/', meReview)
    .route('/', meNext)
    .route('/', meClasses)
    .route('/', meMerge)
    .route('/', attemptRoutes)
    .route('/', adminSkills)
    .route('/', adminUnits)
    .route('/', adminActivities)
    .route('/', adminQuestionBanks)
    .route('/', adminActivityStats)
    .route('/', adminAttemptsCsv)
    .route('/', adminAnalytics)
    .route('/', adminCatalogue)
    .route('/', adminStructure)
    .route('/', adminClasses)
    .route('/', adminLtiPlatforms)
    .route('/', docs)
    .route('/', lti)
    .route('/', ltiDeepLink)
    .route('/', ltiClass)
    .route('/', ltiRegister)
}

/** For Hono's typed client: `hc<AppType>(baseUrl)`. */
export type AppType = ReturnType<typeof createApp>
