import { defineConfig } from 'drizzle-kit'

/**
 * `db:generate` needs no database. `db:push` and `db:studio` use DATABASE_URL when it is set (a Neon or
 * PostgreSQL URL), else the PGlite folder that `npm run dev` persists (stop `npm run dev` first:
 * PGlite allows one process at a time). `db:migrate` is scripts/db.ts, which goes through the Neon
 * HTTP driver so it works against Neon and the local endpoint alike.
 */
const url = process.env.DATABASE_URL

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
  strict: true,
  verbose: true,
  ...(url ? { dbCredentials: { url } } : { driver: 'pglite', dbCredentials: { url: './.local/pglite' } }),
})
