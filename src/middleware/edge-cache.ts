/**
 * Zero-round-trip catalogue reads: responses of the public catalogue GETs are kept in this
 * location's Workers cache (`caches.default`) for CATALOGUE_TTL_SECONDS (default 60; 0 turns it off),
 * with a strong ETag, so a hit costs no database round trip and `If-None-Match` gets a 304.
 *
 * Admin writes purge the keys they affect in the location that served the write; other locations
 * converge within the TTL (the Cache API is per location, and a global purge needs the zone API).
 * Only canonical URLs are cached (no query string except on the skill list's first page), so the
 * keys an admin write must purge are known.
 * @see https://developers.cloudflare.com/workers/runtime-apis/cache/
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../types.ts'

const DEFAULT_TTL_SECONDS = 60
/** Cache keys live on a host of their own, so no request header or cookie can ever be part of one. */
const KEY_ORIGIN = 'https://catalogue.cache.internal'
const CACHEABLE_PATH = /^\/v1\/(skills|skills\/[0-9a-f-]{36}|units\/[0-9a-f-]{36}|activities\/[0-9a-f-]{36})$/

const ttlOf = (c: Context<AppEnv>) => c.env.CATALOGUE_TTL_SECONDS ?? DEFAULT_TTL_SECONDS

const keyFor = (path: string) => new Request(`${KEY_ORIGIN}${path}`)

async function strongEtag(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
  return `"${btoa(String.fromCharCode(...digest.slice(0, 18)))}"`
}

/** `If-None-Match` lists the ETag (or is `*`): the client's copy is current. */
function matches(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false
  return (
    ifNoneMatch.trim() === '*' ||
    ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
  )
}

function notModified(etag: string, cacheControl: string, requestId: string) {
  return new Response(null, {
    status: 304,
    headers: { ETag: etag, 'Cache-Control': cacheControl, 'X-Request-Id': requestId },
  })
}

export const edgeCache = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url)
  const ttl = ttlOf(c)
  // Lower-case UUIDs: an upper-case request shares the entry (and the purge) of the canonical one.
  const path = url.pathname.toLowerCase()
  if (c.req.method !== 'GET' || ttl <= 0 || url.search !== '' || !CACHEABLE_PATH.test(path)) return next()

  const key = keyFor(path)
  const cached = await caches.default.match(key)
  if (cached) {
    const etag = cached.headers.get('ETag') ?? ''
    if (matches(c.req.header('if-none-match'), etag)) {
      return notModified(etag, cached.headers.get('Cache-Control') ?? '', c.get('requestId'))
    }
    const hit = new Response(cached.body, cached)
    hit.headers.set('X-Request-Id', c.get('requestId'))
    hit.headers.set('X-Cache', 'HIT')
    return hit
  }

  await next()
  if (c.res.status !== 200) return
  const body = await c.res.arrayBuffer()
  const etag = await strongEtag(body)
  const cacheControl = `public, max-age=${ttl}`
  const fresh = new Response(body, c.res)
  fresh.headers.set('ETag', etag)
  fresh.headers.set('Cache-Control', cacheControl)
  fresh.headers.set('X-Cache', 'MISS')
  const stored = new Response(body, fresh)
  stored.headers.delete('X-Request-Id')
  stored.headers.delete('Set-Cookie')
  c.executionCtx.waitUntil(caches.default.put(key, stored))
  c.res = matches(c.req.header('if-none-match'), etag)
    ? notModified(etag, cacheControl, c.get('requestId'))
    : fresh
})

/** Drops cached catalogue responses after an admin write (in this location; others follow within the TTL). */
export async function purgeCatalogue(paths: (string | null | undefined)[]) {
  const unique = [...new Set(paths.filter((path): path is string => Boolean(path)))]
  await Promise.all(unique.map((path) => caches.default.delete(keyFor(path))))
}
