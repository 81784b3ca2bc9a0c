/**
 * Zero-round-trip catalogue reads: the one place that knows their cache keys, and purges them. A
 * catalogue route declares its key (`catalogueRoute`, src/routes/define.ts); the edge-cache
 * middleware (src/middleware/edge-cache.ts) keeps its 200s in this location's Workers cache.
 *
 * Admin writes purge, through `purgeCatalogue`, every key they make stale, in the location that
 * served the write; other locations converge within the TTL (the Cache API is per location, and a
 * global purge needs the zone API). Requests with a query string are never cached, so the keys a
 * write must purge are known.
 * @see https://developers.cloudflare.com/workers/runtime-apis/cache/
 */
/** Cache keys live on a host of their own, so no request header or cookie can ever be part of one. */
const KEY_ORIGIN = 'https://catalogue.cache.internal'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Lower-case ids: an upper-case request shares the entry (and the purge) of the canonical one. */
const keyOf = (kind: string) => (id: string) => {
  const canonical = id.toLowerCase()
  return UUID.test(canonical) ? `${kind}/${canonical}` : undefined
}

/** Every cached catalogue read, by what it shows. */
export const catalogueKeys = {
  skillList: () => 'skills',
  skillTree: keyOf('skills'),
  unit: keyOf('units'),
  activity: keyOf('activities'),
  /** Search results, by normalised query and limit: unbounded, so never purged — they expire. */
  search: (q: string, limit: number) =>
    `search/${limit}/${encodeURIComponent(q.trim().replace(/\s+/g, ' ').toLowerCase())}`,
}

/** The Cache API request a key is stored under. */
export const cacheRequest = (key: string) => new Request(`${KEY_ORIGIN}/${key}`)

/** What an admin write made stale; a moved unit or activity names its old parents and its new ones. */
export type Stale = {
  skillList?: boolean
  skills?: (string | null | undefined)[]
  units?: (string | null | undefined)[]
  activities?: (string | null | undefined)[]
}

/** Drops the cached reads a catalogue write made stale (in this location; others follow within the TTL). */
export async function purgeCatalogue({ skillList, skills = [], units = [], activities = [] }: Stale) {
  const keys = [
    skillList ? catalogueKeys.skillList() : undefined,
    ...skills.map((id) => id && catalogueKeys.skillTree(id)),
    ...units.map((id) => id && catalogueKeys.unit(id)),
    ...activities.map((id) => id && catalogueKeys.activity(id)),
  ]
  const unique = new Set(keys.filter((key): key is string => Boolean(key)))
  await Promise.all([...unique].map((key) => caches.default.delete(cacheRequest(key))))
}
