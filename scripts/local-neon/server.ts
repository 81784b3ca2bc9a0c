import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Backend } from './backend.ts'
import { isPostgresError, ProtocolError, parseRequest, shapeError, shapeResult } from './protocol.ts'

export type LocalNeonOptions = {
  backend: Backend
  /** 0 picks a free port. The server only ever listens on 127.0.0.1. */
  port?: number
  /** Added before every /sql request, to feel the distance from an edge location to the database. */
  delayMs?: number
  maxRequestBytes?: number
  maxResponseBytes?: number
  /** Called with one line per request: command tags and timings, never the connection string or params. */
  log?: (line: string) => void
}

/** What tests and benchmarks read from `GET /_local/stats`. */
type LocalNeonStats = {
  /** HTTP requests to /sql: one per Neon round trip. */
  requests: number
  statements: number
  transactions: number
  errors: number
}

export type LocalNeon = {
  url: string
  /** The value for the driver's `fetchEndpoint` (and the Worker's NEON_LOCAL_ENDPOINT binding). */
  sqlEndpoint: string
  stats: LocalNeonStats
  close(): Promise<void>
}

const MIB = 1024 * 1024

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw new TooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new TooLarge()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string>) {
  res.writeHead(status, { 'access-control-allow-origin': '*', ...headers })
  res.end(text)
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  sendText(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers })
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value)
  }
  return headers
}

/**
 * A local stand-in for Neon's SQL-over-HTTP proxy, for development and tests only.
 * @see docs/neon-http-protocol.md
 */
export async function startLocalNeon(options: LocalNeonOptions): Promise<LocalNeon> {
  const { backend, maxRequestBytes = 10 * MIB, maxResponseBytes = 10 * MIB, log } = options
  let delayMs = options.delayMs ?? 0
  const stats: LocalNeonStats = { requests: 0, statements: 0, transactions: 0, errors: 0 }

  async function handleSql(req: IncomingMessage, res: ServerResponse) {
    stats.requests++
    const started = performance.now()
    if (delayMs > 0) await sleep(delayMs)
    let body: string
    try {
      body = await readBody(req, maxRequestBytes)
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error
      // Drain without keeping it, so the client is not cut off mid-upload.
      req.resume()
      await new Promise((resolve) => req.once('end', resolve).once('error', resolve))
      return send(res, 413, { message: `request is too large (max is ${maxRequestBytes} bytes)` })
    }
    const headers = toHeaders(req)
    const request = parseRequest(headers, body)
    stats.statements += request.statements.length
    if (request.transaction) stats.transactions++

    let status = 200
    let payload: unknown
    const echoed: Record<string, string> = {}
    // A client that aborts (its deadline, DB_TIMEOUT_MS) closes the connection before the answer.
    const gone = new AbortController()
    res.once('close', () => {
      if (!res.writableFinished) gone.abort()
    })
    try {
      const results = await backend.execute(request.statements, request.transaction, gone.signal)
      const shaped = results.map((result, i) =>
        shapeResult(result, request.statements[i]?.arrayMode ?? request.arrayMode, request.rawTextOutput),
      )
      payload = request.transaction ? { results: shaped } : shaped[0]
      if (request.transaction) {
        for (const name of ['neon-batch-isolation-level', 'neon-batch-read-only', 'neon-batch-deferrable']) {
          const value = headers.get(name)
          if (value !== null) echoed[name] = value
        }
      }
    } catch (error) {
      if (!isPostgresError(error)) throw error
      stats.errors++
      status = 400
      payload = shapeError(error)
    }
    const text = JSON.stringify(payload)
    if (Buffer.byteLength(text) > maxResponseBytes) {
      return send(res, 507, { message: `response is too large (max is ${maxResponseBytes} bytes)` })
    }
    log?.(
      `${status} ${request.transaction ? `batch of ${request.statements.length}` : 'query'} ` +
        `${(performance.now() - started).toFixed(1)}ms ${request.statements.map((s) => firstWords(s.query)).join('; ')}`,
    )
    sendText(res, status, text, { 'content-type': 'application/json', ...echoed })
  }

  const server = createServer((req, res) => {
    const { pathname: path, searchParams } = new URL(req.url ?? '/', 'http://localhost')
    const handle = async () => {
      if (req.method === 'POST' && path === '/sql') return handleSql(req, res)
      // A browser's preflight, as the proxy answers it: any origin, POST, the driver's headers.
      if (req.method === 'OPTIONS' && path === '/sql') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers':
            'Authorization, Content-Type, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, ' +
            'Neon-Batch-Isolation-Level, Neon-Batch-Read-Only, Neon-Batch-Deferrable',
          'access-control-max-age': '86400',
        })
        return void res.end()
      }
      if (req.method === 'GET' && path === '/_local/stats') return send(res, 200, stats)
      if (req.method === 'PUT' && path === '/_local/delay') {
        // Benchmarks and tests change the injected delay without restarting the endpoint.
        const value = Number(searchParams.get('ms') ?? Number.NaN)
        if (!(value >= 0 && value <= 60_000)) return send(res, 400, { message: 'ms must be 0–60000' })
        delayMs = value
        return send(res, 200, { delayMs })
      }
      if (req.method === 'GET' && path === '/_local/health') return send(res, 200, { backend: backend.name })
      return send(res, 404, { message: 'not found' })
    }
    handle().catch((error: unknown) => {
      stats.errors++
      if (error instanceof ProtocolError) return send(res, error.status, { message: error.message })
      log?.(`500 ${error instanceof Error ? error.name : 'error'}`)
      if (!res.headersSent) send(res, 500, { message: 'local endpoint error' })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    sqlEndpoint: `${url}/sql`,
    stats,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await backend.close()
    },
  }
}

/** The statement's first words, enough to read a log without leaking literals. */
function firstWords(query: string) {
  return query.trim().split(/\s+/).slice(0, 3).join(' ')
}
