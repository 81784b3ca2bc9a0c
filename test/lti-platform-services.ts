/**
 * The simulated platform's LTI Advantage services (test/lti-platform.ts): a token endpoint (records
 * each client assertion and scope), line items and their scores (refusing, as Moodle does, a score
 * not later than the user's last one, to the second), and a roster in pages. `/behave` makes it fail
 * the next scores with a 500, revoke the tokens it gave (a 401 follows), or name a roster.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

type Score = Record<string, unknown> & { lineItem: string; userId: string; timestamp: string }

const state = {
  tokens: new Set<string>(),
  issued: 0,
  grants: [] as { assertion: string; scope: string }[],
  failScores: 0,
  scoreCalls: 0,
  scores: [] as Score[],
  lineItems: [] as { id: string; resourceLinkId?: string; label?: string; scoreMaximum?: number }[],
  roster: [] as Record<string, unknown>[],
  rosterPageSize: 2,
}

export function services(req: IncomingMessage, res: ServerResponse, raw: string, base: string): boolean {
  const url = new URL(req.url ?? '/', base)
  const reply = (status: number, value: object, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
    res.end(JSON.stringify(value))
    return true
  }
  const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? ''
  const authorised = state.tokens.has(bearer)
  if (url.pathname === '/token' && req.method === 'POST') {
    const form = new URLSearchParams(raw)
    if (form.get('grant_type') !== 'client_credentials')
      return reply(400, { error: 'unsupported_grant_type' })
    state.grants.push({ assertion: form.get('client_assertion') ?? '', scope: form.get('scope') ?? '' })
    const token = `token-${++state.issued}`
    state.tokens.add(token)
    return reply(200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: form.get('scope'),
    })
  }
  if (url.pathname === '/behave' && req.method === 'POST') {
    const asked = JSON.parse(raw) as { failScores?: number; revokeTokens?: boolean; roster?: object[] }
    if (asked.failScores !== undefined) state.failScores = asked.failScores
    if (asked.revokeTokens) state.tokens.clear()
    if (asked.roster) state.roster = asked.roster as Record<string, unknown>[]
    return reply(200, {})
  }
  if (url.pathname === '/services') return reply(200, state)
  const scores = /^\/lineitems\/([\w-]+)\/(\d+)\/scores$/.exec(url.pathname)
  if (scores && req.method === 'POST') {
    state.scoreCalls++
    if (!authorised) return reply(401, { error: 'invalid_token' })
    if (state.failScores > 0) {
      state.failScores--
      return reply(500, { error: 'the gradebook is down' })
    }
    const score = JSON.parse(raw) as Score
    const lineItem = `${base}${url.pathname.replace(/\/scores$/, '')}${url.search}`
    const last = state.scores.findLast((s) => s.lineItem === lineItem && s.userId === score.userId)
    const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)
    if (last && seconds(last.timestamp) >= seconds(score.timestamp)) return reply(409, { error: 'not later' })
    state.scores.push({ ...score, lineItem, contentType: req.headers['content-type'] ?? '' })
    return reply(200, {})
  }
  const container = /^\/lineitems\/([\w-]+)$/.exec(url.pathname)
  if (container) {
    if (!authorised) return reply(401, { error: 'invalid_token' })
    if (req.method === 'POST') {
      const item = {
        ...JSON.parse(raw),
        id: `${base}/lineitems/${container[1]}/${state.lineItems.length + 1}`,
      }
      state.lineItems.push(item)
      return reply(201, item)
    }
    const link = url.searchParams.get('resource_link_id')
    const prefix = `${base}/lineitems/${container[1]}/`
    return reply(
      200,
      state.lineItems.filter((i) => i.id.startsWith(prefix) && (!link || i.resourceLinkId === link)),
    )
  }
  if (url.pathname.startsWith('/memberships/')) {
    if (!authorised) return reply(401, { error: 'invalid_token' })
    const page = Number(url.searchParams.get('page') ?? '0')
    const members = state.roster.slice(page * state.rosterPageSize, (page + 1) * state.rosterPageSize)
    const more = (page + 1) * state.rosterPageSize < state.roster.length
    const next = new URL(url)
    next.searchParams.set('page', String(page + 1))
    return reply(200, { id: url.toString(), members }, more ? { Link: `<${next}>; rel="next"` } : {})
  }
  return false
}
