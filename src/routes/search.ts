/**
 * Search the catalogue. Public, one round trip, and kept at the edge for at most SEARCH_TTL_SECONDS:
 * search keys are unbounded, so catalogue writes do not purge them; results may lag an edit by
 * that long.
 */

import type { Context } from 'hono'
import * as z from 'zod'
import { catalogueKeys } from '../catalogue/edge-cache.ts'
import { searchCatalogue } from '../catalogue/search.ts'
import { publicFor } from '../http/cache-control.ts'
import { limitSearch } from '../middleware/rate-limit.ts'
import { jsonResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import { limitOf, wellFormedText } from '../schemas/common.ts'
import type { AppEnv } from '../types.ts'
import { catalogueRoute } from './define.ts'

const SEARCH_TTL_SECONDS = 30

const SearchQuery = z.object({
  q: wellFormedText
    .transform((value) => value.trim())
    .pipe(z.string().min(1, 'must not be blank').max(200, 'must be at most 200 characters'))
    .meta({
      param: { name: 'q', in: 'query' },
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      example: 'adding numbers',
      description:
        'Words to find (stemmed: "adding" finds "addition"); "quoted phrases", `or`, and `-word` to exclude. ' +
        'Names close to a misspelt word are found too.',
    }),
  limit: limitOf(50, 10),
})

const SearchHit = z
  .object({
    kind: z.enum(['skill', 'unit', 'activity']),
    id: z.guid(),
    name: z.string(),
    skillId: z.guid(),
    unitId: z.guid().nullable().meta({ description: 'The unit (itself, for a unit); null for a skill.' }),
    match: z.enum(['text', 'similar_name']).meta({
      description:
        '`text`: the words were found (ranked first). `similar_name`: the name is close to the query.',
    }),
    rank: z.number(),
    snippet: z.array(z.object({ text: z.string(), highlighted: z.boolean() })).meta({
      description: 'Plain-text segments of the description or instructions; matched words highlighted.',
    }),
  })
  .meta({ id: 'SearchHit' })

/** The cache key, from the raw query (the middleware runs before validation; bad input is not cached). */
function searchKey(c: Context<AppEnv>) {
  const [q, ...moreQ] = c.req.queries('q') ?? []
  const [limit = '10', ...moreLimits] = c.req.queries('limit') ?? []
  if (q === undefined || moreQ.length > 0 || moreLimits.length > 0 || !/^\d{1,3}$/.test(limit))
    return undefined
  return catalogueKeys.search(q, Number(limit))
}

export const search = createRouter().openapi(
  catalogueRoute(
    {
      method: 'get',
      path: '/v1/search',
      tags: ['Catalogue'],
      summary: 'Search skills, units and activities',
      description:
        'Full-text matches in names, descriptions and instructions (never answer keys), ranked, names above the ' +
        'rest; then names similar to the query, for typos. One round trip; kept at the edge for ' +
        `${SEARCH_TTL_SECONDS} s, so results can lag a catalogue edit by that long. Searches the edge cache does ` +
        'not answer are limited per client address (429).',
      request: { query: SearchQuery },
      responses: {
        200: jsonResponse(z.object({ items: z.array(SearchHit) }), 'Best first'),
        ...problemResponses(400),
      },
    },
    searchKey,
    { byQuery: true, maxTtlSeconds: SEARCH_TTL_SECONDS },
    // A unique q always misses the cache: searches that reach the database are limited per address.
    limitSearch,
  ),
  async function searchEverything(c) {
    const { q, limit } = c.req.valid('query')
    const items = await searchCatalogue(c.var.db, q, limit)
    return c.json({ items }, 200, publicFor(SEARCH_TTL_SECONDS))
  },
)
