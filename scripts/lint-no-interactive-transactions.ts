/**
 * Part of `npm run lint`: neon-http has no interactive transactions (`db.transaction()` throws at
 * run time), so none may appear in src/. Use `db.batch([...])` and put conditions in SQL.
 * src/db/client.ts is exempt: it wraps the driver's own (non-interactive) batch transaction.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const exempt = new Set([join('src', 'db', 'client.ts')])
const offenders: string[] = []

function scan(dir: string) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) scan(path)
    else if (path.endsWith('.ts') && !exempt.has(path)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\.transaction\s*\(/.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`)
        })
    }
  }
}

scan('src')
if (offenders.length > 0) {
  console.error(
    `Interactive transactions do not exist over Neon's HTTP driver; use db.batch():\n${offenders.join('\n')}`,
  )
  process.exitCode = 1
}
