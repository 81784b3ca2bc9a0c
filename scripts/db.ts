/**
 * `npm run db:migrate` and `npm run db:seed`, against DATABASE_URL or the local endpoint of `npm run dev`.
 * Prints what it did, never the connection string.
 */
import './lib/node-version.ts'
import { connect, resolveDatabaseConfig } from './lib/database.ts'
import { migrate } from './lib/migrate.ts'
import { seed } from './seed.ts'

const command = process.argv[2]
const config = resolveDatabaseConfig()
const { db, sql } = connect(config)
const target = config.local ? `the local endpoint (${config.NEON_LOCAL_ENDPOINT})` : 'DATABASE_URL'

try {
  if (command === 'migrate') {
    const applied = await migrate({ db, sql })
    console.log(`Applied ${applied} migration(s) to ${target}.`)
  } else if (command === 'seed') {
    await seed(db)
    console.log(`Seeded the sample catalogue into ${target} (existing rows kept).`)
  } else {
    console.error('usage: node --import tsx scripts/db.ts migrate|seed')
    process.exitCode = 2
  }
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error)
  const hint = config.local && /Error connecting/.test(reason) ? ' Is `npm run dev` running?' : ''
  console.error(`db:${command} failed: ${reason}${hint}`)
  process.exitCode = 1
}
