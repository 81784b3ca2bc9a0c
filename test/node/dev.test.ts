/** `npm run dev` when a port it needs is taken: one line naming it and how to move it, no stack trace. */
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

let taken: Server | undefined
afterAll(() => taken?.close())

describe('npm run dev', () => {
  it('stops with one clear line when its Worker port is already in use', async () => {
    const server = createServer()
    taken = server
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    )
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
      env: { ...process.env, PORT: String(port) },
      timeout: 30_000,
    })
    const failure = (await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )) as { code: number; stderr: string } | undefined
    expect(failure?.code).toBe(1)
    const lines = failure?.stderr.trim().split('\n') ?? []
    expect(lines).toHaveLength(1)
    // The Worker's port, or the database endpoint's when this machine runs `npm run dev` already.
    expect(lines[0]).toMatch(
      /^Port \d+ on 127\.0\.0\.1 is already in use: stop what uses it, or (move the Worker with PORT=|move the database endpoint)/,
    )
    expect(failure?.stderr).not.toMatch(/\n\s+at /)
  })
  it('reads NEON_LOCAL_ENDPOINT from the environment, as PORT: a taken endpoint port is named', async () => {
    const server = createServer()
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    )
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
      env: { ...process.env, NEON_LOCAL_ENDPOINT: `http://127.0.0.1:${port}/sql`, PORT: '0' },
      timeout: 30_000,
    })
    const failure = (await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    )) as { code: number; stderr: string } | undefined
    server.close()
    expect(failure?.code).toBe(1)
    expect(failure?.stderr.trim()).toBe(
      `Port ${port} on 127.0.0.1 is already in use: stop what uses it, or move the database endpoint with ` +
        'NEON_LOCAL_ENDPOINT=http://127.0.0.1:<port>/sql npm run dev (or in .dev.vars).',
    )
  })
})
