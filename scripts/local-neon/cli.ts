/**
 * `npm run local-neon -- [--port 4444] [--delay 25] [--memory] [--log]`: the local endpoint on its own,
 * for running `wrangler dev` or benchmarks by hand. LOCAL_POSTGRES_URL switches to a PostgreSQL server.
 */
import { mkdirSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createBackend, startLocalNeon } from './index.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4444' },
    delay: { type: 'string', default: '0' },
    data: { type: 'string', default: '.local/pglite' },
    memory: { type: 'boolean', default: false },
    log: { type: 'boolean', default: false },
  },
})

const postgresUrl = process.env.LOCAL_POSTGRES_URL
const pgliteDir = values.memory ? undefined : values.data
if (pgliteDir && !postgresUrl) mkdirSync(pgliteDir, { recursive: true })
const server = await startLocalNeon({
  backend: await createBackend({ postgresUrl, pgliteDir }),
  port: Number(values.port),
  delayMs: Number(values.delay),
  log: values.log ? (line) => console.log(`[local-neon] ${line}`) : undefined,
})
const backendName = postgresUrl ? 'PostgreSQL (LOCAL_POSTGRES_URL)' : `PGlite (${pgliteDir ?? 'in memory'})`
console.log(`Local Neon endpoint on ${server.sqlEndpoint}, backed by ${backendName}.`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)))
}
