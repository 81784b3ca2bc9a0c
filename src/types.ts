import type { DatabaseStats, Db } from './db/client.ts'
import type { Env } from './env.ts'
import type { Session } from './session/middleware.ts'

/** The one Hono environment type: validated bindings plus what middleware puts on the context. */
export type AppEnv = {
  Bindings: Env
  Variables: {
    db: Db
    /** Round trips and database time of this request, for the request log. */
    dbStats: DatabaseStats
    requestId: string
    /** Set on session routes: the verified session, or null. */
    session: Session | null
    /** Whether the request carried a session cookie at all (a bad one is cleared on 401). */
    sessionCookiePresent: boolean
  }
}
