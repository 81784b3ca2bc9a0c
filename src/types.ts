import type { DatabaseStats, Db } from './db/client.ts'
import type { Env } from './env.ts'

/** A verified session cookie. */
type Session = {
  /** The id in the cookie: never stored, never logged. */
  id: string
  /** SHA-256 of the id: what the database stores and looks up. */
  hash: string
}

/**
 * What a session route's domain code needs of its request, resolved by its route kind
 * (session/middleware.ts): plain values, nothing of HTTP. The domain reports what happened to the
 * device's session through `device`; the route kind turns that into Set-Cookie.
 */
export type SessionScope = {
  db: Db
  env: Env
  /** The verified session cookie's session, or null (optional on session routes). */
  session: Session | null
  /**
   * This browser's own session, when the request came with an LTI launch's session (preferred) and
   * the browser's ordinary one of another learner too: what a merge would bring over.
   */
  browserSession: Session | null
  /** The request's User-Agent: a new session's device label comes from it. */
  userAgent: string | undefined
  device: {
    /** The session's cookie is due to be re-issued (its year slides). */
    renewDue(): void
    /** This device now holds a new session (its cookie is set). */
    started(sessionId: string): void
    /** This device's session is over (its cookie is cleared). */
    ended(): void
    /** The browser's own session is over, merged into the launch's learner (its cookie is cleared). */
    browserSessionEnded(): void
  }
  /** Logs a credential that was ignored rather than refused (a security event). */
  ignoredCredential(reason: string): Promise<void>
}

/** A learner route's scope: its session is verified (the route kind answered 401 otherwise). */
export type LearnerScope = SessionScope & { session: Session }

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
    /** Set by the session middleware: what the domain needs of a session route's request. */
    scope: SessionScope
    /** Set by the admin credential (middleware/admin-auth.ts): the author of the token. */
    author: string
    /** What an admin write adds to its audit line (an import: whether dry, whether pruning, its counts). */
    auditDetails?: Record<string, unknown>
  }
}
