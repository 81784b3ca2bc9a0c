/** The build scripts, run as `npm install`, `npm run build` and `npm run deploy` run them. */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { buildWeb } from '../../scripts/assets.ts'
import { LEARNER_PAGE_CSP, LEARNER_PAGE_PERMISSIONS } from '../../src/lti/frame.ts'

const run = promisify(execFile)
const out = mkdtempSync(join(tmpdir(), 'lp-build-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe("the learner page's script", () => {
  it('comes with a source map while developing, and without one (nor a link to one) for production', async () => {
    await buildWeb({ outdir: out })
    expect(existsSync(join(out, 'app.js.map'))).toBe(true)
    await buildWeb({ outdir: out, production: true })
    expect(existsSync(join(out, 'app.js.map'))).toBe(false)
    expect(readFileSync(join(out, 'app.js'), 'utf8')).not.toContain('sourceMappingURL')
  })
})

describe('scripts run directly by npm', () => {
  it('write what they say on this Node, whether or not it has import.meta.main', async () => {
    const before = Date.now()
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/openapi.ts'])
    expect(stdout).toContain('Wrote public/openapi.json.')
    expect(statSync('public/openapi.json').mtimeMs).toBeGreaterThanOrEqual(before - 1000)
  })
})

describe('the static assets’ headers (public/_headers)', () => {
  it('send HSTS on every asset, as the Worker’s routes do', () => {
    const rules = readFileSync('public/_headers', 'utf8')
    const everything = /^\/\*\n((?: {2}.*\n)+)/m.exec(rules)?.[1] ?? ''
    expect(everything).toContain('  Strict-Transport-Security: max-age=15552000; includeSubDomains\n')
  })

  it('give the learner page the CSP and permissions the Worker gives it inside an LMS, but for who may frame it', () => {
    const rules = readFileSync('public/_headers', 'utf8')
    const page = /^\/\n((?: {2}.*\n)+)/m.exec(rules)?.[1] ?? ''
    expect(page).toContain(`  Content-Security-Policy: ${LEARNER_PAGE_CSP}; frame-ancestors 'none'\n`)
    expect(page).toContain(`  Permissions-Policy: ${LEARNER_PAGE_PERMISSIONS}\n`)
  })
})
