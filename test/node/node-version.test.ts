/** The scripts' Node check (scripts/lib/node-version.ts): one clear line before anything starts. */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { nodeVersionProblem } from '../../scripts/lib/node-version.ts'

describe('the Node version check', () => {
  it('accepts what engines allows and names what to install otherwise', () => {
    expect(nodeVersionProblem('22.12.0', '>=22.12')).toBeNull()
    expect(nodeVersionProblem('23.1.0', '>=22.12')).toBeNull()
    expect(nodeVersionProblem('22.11.9', '>=22.12')).toMatch(
      /^This project needs Node >=22\.12 .*this is Node 22\.11\.9\./,
    )
    expect(nodeVersionProblem('20.20.2', '>=22.12')).toContain('Install Node 22')
  })

  it('runs first in the scripts that start things', () => {
    for (const script of ['dev', 'test', 'db', 'size']) {
      const source = execFileSync('head', ['-n', '40', `scripts/${script}.ts`], { encoding: 'utf8' })
      const firstImport = source.split('\n').find((line) => line.startsWith('import '))
      expect(firstImport, script).toBe("import './lib/node-version.ts'")
    }
  })
})
