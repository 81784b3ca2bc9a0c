import type { Db } from './db/client.ts'
import type { Env } from './env.ts'

/** The one Hono environment type: validated bindings plus what middleware puts on the context. */
export type AppEnv = {
  Bindings: Env
  Variables: {
    db: Db
    requestId: string
  }
}
