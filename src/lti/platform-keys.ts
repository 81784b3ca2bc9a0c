/**
 * Platforms' published keys (their JWKS), cached per isolate for at most an hour. A token naming a
 * `kid` we do not have refetches the set, at most once a minute per platform: a platform that rotated
 * its key is believed at once, and a stream of made-up kids costs the platform one request a minute.
 */
import type { Jwk } from './jwt.ts'

const MAX_AGE_MS = 60 * 60 * 1000
const UNKNOWN_KID_REFETCH_MS = 60 * 1000

type Entry = { keys: Jwk[]; fetchedAt: number; refetchedForUnknownKidAt: number }

const cache = new Map<string, Entry>()

export class PlatformKeysUnavailable extends Error {}

async function load(url: string, now: number, previous?: Entry): Promise<Entry> {
  let keys: unknown
  try {
    const res = await fetch(url, {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    })
    if (!res.ok) throw new PlatformKeysUnavailable(`its key set answered ${res.status}`)
    keys = ((await res.json()) as { keys?: unknown }).keys
  } catch (error) {
    throw error instanceof PlatformKeysUnavailable
      ? error
      : new PlatformKeysUnavailable('its key set could not be fetched')
  }
  if (!Array.isArray(keys)) throw new PlatformKeysUnavailable('its key set has no keys')
  const entry = {
    keys: keys as Jwk[],
    fetchedAt: now,
    refetchedForUnknownKidAt: previous?.refetchedForUnknownKidAt ?? 0,
  }
  cache.set(url, entry)
  return entry
}

const byKid = (entry: Entry, kid: string | undefined) =>
  entry.keys.find((key) => key.kid === kid || (kid === undefined && entry.keys.length === 1))

/** The platform's key named `kid`, or undefined when its key set has none by that name. */
export async function platformKey(
  jwksUrl: string,
  kid: string | undefined,
  now = Date.now(),
): Promise<Jwk | undefined> {
  let entry = cache.get(jwksUrl)
  if (!entry || now - entry.fetchedAt > MAX_AGE_MS) entry = await load(jwksUrl, now, entry)
  const key = byKid(entry, kid)
  if (key || now - entry.refetchedForUnknownKidAt < UNKNOWN_KID_REFETCH_MS) return key
  entry = await load(jwksUrl, now, entry)
  entry.refetchedForUnknownKidAt = now
  return byKid(entry, kid)
}
