/** README "Use it from your app": its Node script, run as it is, from Node, against wrangler dev. */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'

describe('examples/from-node.ts', () => {
  it('is in the README as it is, and answers one practice round from Node (the cookie kept by its fetch)', async () => {
    const script = readFileSync('examples/from-node.ts', 'utf8')
    expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`ts\n${script}\`\`\``)
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'examples/from-node.ts'],
      {
        env: { ...process.env, API_URL: inject('baseUrl') },
      },
    )
    // Addition learned (P(L) 0.977), Subtraction untouched (at the prior 0.2): the mean.
    expect(stdout).toMatch(/score: 3,\s+passed: true,\s+mastery: 0\.588/)
  })
})
