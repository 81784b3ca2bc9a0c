import { copyFileSync, existsSync, readFileSync } from 'node:fs'

/** Creates .dev.vars from .dev.vars.example when it is missing; returns whether it did. */
export function ensureDevVars(path = '.dev.vars', example = '.dev.vars.example'): boolean {
  if (existsSync(path)) return false
  copyFileSync(example, path)
  return true
}

/** KEY=value lines; `#` comments and blank lines skipped; surrounding quotes removed. */
export function readDevVars(path = '.dev.vars'): Record<string, string> {
  if (!existsSync(path)) return {}
  const vars: Record<string, string> = {}
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match || line.trimStart().startsWith('#')) continue
    const [, key, value = ''] = match
    vars[key as string] = value.replace(/^(['"])(.*)\1$/, '$2')
  }
  return vars
}
