/**
 * A simulated LMS platform for the LTI suite, in Node on 127.0.0.1: keys generated here, published at
 * /jwks (counted, so a test can see a refetch), and a /sign endpoint the tests ask for id_tokens —
 * signed with the current key, a key it does not publish (`forge`), or a kid it has never had.
 * /rotate makes a new key current. Its grade and roster services are in lti-platform-services.ts.
 * Started by test/global-setup.ts, stopped with it.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { services } from './lti-platform-services.ts'

type Key = { kid: string; privateKey: KeyObject; publicJwk: object }

function newKey(kid: string): Key {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  }
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

function signWith(key: Key, kid: string, claims: object) {
  const signed = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key.privateKey).toString('base64url')}`
}

export async function startLtiPlatform() {
  const published: Key[] = [newKey('platform-1')]
  const stranger = newKey('platform-1') // the same kid, a key nobody published: a forgery
  let jwksFetches = 0
  let registrations = 0
  let lastRegistration: unknown = null
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString()
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    if (services(req, res, raw, base)) return
    const body = raw ? JSON.parse(raw) : {}
    const reply = (status: number, value: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    const current = published.at(-1) as Key
    switch (new URL(req.url ?? '/', 'http://platform').pathname) {
      case '/jwks':
        jwksFetches++
        return reply(200, { keys: published.map((k) => k.publicJwk) })
      case '/stats':
        return reply(200, { jwksFetches, registrations, lastRegistration })
      // Dynamic Registration: a platform at /dr, and one whose configuration names another issuer.
      case '/dr/openid-configuration':
      case '/dr-elsewhere/openid-configuration': {
        const issuer = req.url?.startsWith('/dr/') ? `${base}/dr` : 'https://elsewhere.example'
        return reply(200, {
          issuer,
          authorization_endpoint: `${base}/auth`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks?site=dr`,
          registration_endpoint: `${base}/register`,
          'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle' },
        })
      }
      case '/register': {
        if (req.headers.authorization !== 'Bearer registration-token-1')
          return reply(401, { error: 'invalid_token' })
        registrations++
        lastRegistration = body
        return reply(200, {
          client_id: `registered-client-${registrations}`,
          'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: `${registrations}` },
        })
      }
      case '/rotate': {
        const key = newKey(`platform-${published.length + 1}`)
        published.push(key)
        return reply(200, { kid: key.kid })
      }
      case '/sign': {
        const { claims, forge, kid } = body as { claims: object; forge?: boolean; kid?: string }
        const key = forge ? stranger : current
        return reply(200, { id_token: signWith(key, kid ?? key.kid, claims) })
      }
      default:
        return reply(404, { error: 'not here' })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
