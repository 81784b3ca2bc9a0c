/**
 * Imported first by the scripts that start things (`dev`, `test`, `db:*`, `size`), so an older Node
 * stops with one line naming what to install — before anything is migrated or seeded, not after
 * wrangler refuses halfway through.
 */
import { readFileSync } from 'node:fs'

const wanted = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string }
  }
).engines.node

/** Why `version` (as `process.versions.node` spells it) cannot run this project, or null when it can. */
export function nodeVersionProblem(version: string, engines = wanted): string | null {
  const [, major = 0, minor = 0] = /^>=(\d+)\.(\d+)/.exec(engines)?.map(Number) ?? []
  const [hasMajor = 0, hasMinor = 0] = version.split('.').map(Number)
  if (hasMajor > major || (hasMajor === major && hasMinor >= minor)) return null
  return `This project needs Node ${engines} (see .nvmrc); this is Node ${version}. Install Node 22, then run the command again.`
}

const problem = nodeVersionProblem(process.versions.node)
if (problem) {
  console.error(problem)
  process.exit(1)
}
