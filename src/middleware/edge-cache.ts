/**
 * The edge cache of catalogue reads: a catalogue route's 200s are kept in this location's Workers
 * cache (`caches.default`) for CATALOGUE_TTL_SECONDS (default 60; 0 turns it off) with a strong ETag,
 * so a hit costs no database round trip and `If-None-Match` gets a 304. The keys, and their purge
 * after admin writes, are the catalogue's (src/catalogue/edge-cache.ts).
 * @see https://developers.cloudflare.com/workers/runtime-apis/cache/
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { cacheRequest } from '../catalogue/edge-cache.ts'
import { publicFor } from '../http/cache-control.ts'
import { toBase64 } from '../lib/encoding.ts'
import type { AppEnv } from '../types.ts'

const DEFAULT_TTL_SECONDS = 60

/**
 * How a route is cached. `byQuery`: the key is made from the query string (other routes with a
 * query string are not cached, so their keys stay purgeable); `maxTtlSeconds` caps the TTL.
 */
export type CacheOptions = { byQuery?: boolean; maxTtlSeconds?: number }

export type CacheKeyOf = (c: Context<AppEnv>) => string | undefined

async function strongEtag(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
  return `"${toBase64(digest.slice(0, 18))}"`
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

/**
 * The copy kept in the cache holds nothing of the request that filled it: no request id, cookie,
 * or CORS answer for its Origin (each request gets its own from the CORS middleware), and says that
 * responses vary by Origin.
 */
function forStorage(body: ArrayBuffer, fresh: Response) {
  const stored = new Response(body, fresh)
  for (const name of [...stored.headers.keys()]) {
    if (name.startsWith('access-control-') || name === 'vary') stored.headers.delete(name)
  }
  stored.headers.delete('X-Request-Id')
  stored.headers.delete('Set-Cookie')
  stored.headers.set('Vary', 'Origin')
  return stored
}

/** Serves the route's cached 200 under `cacheKey`, or runs it and keeps its 200. */
export const edgeCache = (cacheKey: CacheKeyOf, { byQuery = false, maxTtlSeconds }: CacheOptions = {}) =>
  createMiddleware<AppEnv>(async function edgeCache(c, next) {
    const configured = c.env.CATALOGUE_TTL_SECONDS ?? DEFAULT_TTL_SECONDS
    const ttl = Math.min(configured, maxTtlSeconds ?? configured)
    const cacheable = c.req.method === 'GET' && ttl > 0 && (byQuery || new URL(c.req.url).search === '')
    const key = cacheable ? cacheKey(c) : undefined
    if (key === undefined) return next()

    const cached = await caches.default.match(cacheRequest(key))
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
    const { 'Cache-Control': cacheControl } = publicFor(ttl)
    const fresh = new Response(body, c.res)
    fresh.headers.set('ETag', etag)
    fresh.headers.set('Cache-Control', cacheControl)
    fresh.headers.set('X-Cache', 'MISS')
    c.executionCtx.waitUntil(caches.default.put(cacheRequest(key), forStorage(body, fresh)))
    c.res = matches(c.req.header('if-none-match'), etag)
      ? notModified(etag, cacheControl, c.get('requestId'))
      : fresh
  })
