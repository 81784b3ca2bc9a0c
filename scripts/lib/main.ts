import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * Whether the module at `moduleUrl` is the script Node was asked to run. `import.meta.main` says the
 * same from Node 22.18 only; on 22.12–22.17 it is undefined, and a script guarded by it silently
 * does nothing.
 */
export const isMain = (moduleUrl: string) =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(resolve(process.argv[1])).href

/** Throws, naming the files, unless each exists and was written at or after `since` (ms). */
export function expectWritten(files: string[], since: number) {
  const stale = files.filter((file) => !existsSync(file) || statSync(file).mtimeMs < since - 1000)
  if (stale.length > 0)
    throw new Error(`Expected these files to be written, and they were not: ${stale.join(', ')}`)
}
