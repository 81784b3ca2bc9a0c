/**
 * Every Cache-Control value the API sends, in one place. Learner data is private to one browser and
 * never stored; the public catalogue may be kept briefly by browsers, shared caches and the edge.
 */

/** Learner data: never stored by a shared or a private cache. */
export const PRIVATE = { 'Cache-Control': 'private, no-store' } as const

/** Admin reads and writes, health checks and problem responses. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const

/** Public and cacheable for `seconds` (catalogue reads, the API reference page). */
export const publicFor = (seconds: number) => ({ 'Cache-Control': `public, max-age=${seconds}` }) as const

/** Catalogue reads before the edge cache sets its own TTL: edits show within a minute. */
export const CATALOGUE = publicFor(60)

/** The API reference page changes only with a deployment. */
export const DOCS_PAGE = publicFor(300)
