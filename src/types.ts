import type { DatabaseStats, Db } from './db/client.ts'
import type { Env } from './env.ts'

/** A verified session cookie. */
export type Session = {
  /** The id in the cookie: never stored, never logged. */
  id: string
  /** SHA-256 of the id: what the database stores and looks up. */
  hash: string
}

/** The one Hono environment type: validated bindings plus what middleware puts on the context. */
export type AppEnv = {
  Bindings: Env
  Variables: {
    db: Db
    /** Round trips and database time of this request, for the request log. */
    dbStats: DatabaseStats
    requestId: string
    /** Set by the session middleware of routes that read the cookie: the verified session, or null. */
    session: Session | null
    /** Whether the request carried a session cookie at all (a bad one is cleared on 401). */
    sessionCookiePresent: boolean
    /** Set by the admin credential (middleware/admin-auth.ts): the author of the token. */
    author: string
  }
}
