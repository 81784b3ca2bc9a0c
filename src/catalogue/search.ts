/**
 * Search over published skills, their units and published activities: names, descriptions and
 * activity instructions — never answer keys or explanations (the generated `search` columns,
 * src/db/schema.ts, hold nothing else), never drafts.
 *
 * One statement, one round trip (with the similarity threshold it sets, in the same batch):
 *   1. full-text matches (`websearch_to_tsquery('english', q)`: quotes, `or`, `-word`; stemmed, so
 *      "adding" finds "addition"), ranked by `ts_rank` with the name above the description;
 *   2. then, when the first tier does not fill the page, names similar to one of the query's words
 *      (pg_trgm word similarity, for typos: "substraction"), for rows the first tier did not find.
 * Snippets are computed only for the rows returned; highlights come back as segments, so clients
 * never parse markup and the text always enters a page as text.
 */
import { sql } from 'drizzle-orm'
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { activities, skills, units } from '../db/schema.ts'
import { inPublishedSkill } from './publication.ts'

/** How similar (0–1) a name's best-matching extent must be to the query (pg_trgm `<%`). */
const NAME_SIMILARITY = 0.4

// Private-use characters mark highlights: authors' text cannot be mistaken for markup.
const START = '\uE000'
const STOP = '\uE001'
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`

type SearchKind = 'skill' | 'unit' | 'activity'

type SearchRow = {
  kind: SearchKind
  id: string
  name: string
  skill_id: string
  unit_id: string | null
  match: 'text' | 'similar_name'
  rank: number
  snippet: string
}

/** Common words that every other name resembles, and the query syntax's own. */
const NOT_TYPOS = new Set(['and', 'the', 'for', 'with', 'not', 'are', 'how', 'what', 'its', 'from', 'into'])

/**
 * The query's words that a name may resemble: up to six, of three letters or more, none excluded
 * (`-word`), no common word.
 */
function typoCandidates(q: string) {
  const words =
    q
      .toLowerCase()
      .replace(/(^|\s)-("[^"]*"|\S+)/g, ' ')
      .match(/[\p{L}\p{N}]{3,}/gu) ?? []
  return [...new Set(words)].filter((word) => !NOT_TYPOS.has(word)).slice(0, 6)
}

/** The query's excluded words (`-word`, `-"a phrase"`), which no tier may return. */
const excluded = (q: string) => (q.match(/(?:^|\s)-("[^"]*"|\S+)/g) ?? []).map((term) => term.trim().slice(1))

/** The search statement (the similarity threshold must be set in its transaction: `searchCatalogue`). */
export function searchStatement(q: string, limit: number) {
  const words = typoCandidates(q)
  const exclusions = excluded(q)
  const notExcluded =
    exclusions.length === 0
      ? sql`true`
      : sql`NOT entries.search @@ websearch_to_tsquery('english', ${exclusions.join(' or ')})`
  // One `<%` per word: each can use the GIN trigram index (a BitmapOr), unlike a join over the words.
  const resembles =
    words.length === 0
      ? sql`false`
      : sql.join(
          words.map((word) => sql`${word} <% entries.name`),
          sql` OR `,
        )
  const similarity =
    words.length === 0
      ? sql`0`
      : sql`greatest(${sql.join(
          words.map((word) => sql`word_similarity(${word}, entries.name)`),
          sql`, `,
        )})`
  const body = (description: unknown, rest?: unknown) =>
    rest ? sql`concat_ws(' ', ${description}, ${rest})` : sql`coalesce(${description}, '')`
  const query = sql`websearch_to_tsquery('english', ${q})`
  // NOT MATERIALIZED: each tier's condition reaches each table's own index (GIN tsvector, GIN trigram).
  const statement = sql`
    WITH entries AS NOT MATERIALIZED (
      SELECT 'skill' AS kind, s.id, s.name, s.id AS skill_id, NULL::uuid AS unit_id, s.search,
        ${body(sql`s.description`)} AS body
      FROM ${skills} s WHERE s.published_at IS NOT NULL
      UNION ALL
      SELECT 'unit', u.id, u.name, u.skill_id, u.id, u.search, ${body(sql`u.description`)}
      FROM ${units} u WHERE ${inPublishedSkill(sql`u.skill_id`)}
      UNION ALL
      SELECT 'activity', a.id, a.name, u.skill_id, a.unit_id, a.search,
        ${body(sql`a.description`, sql`a.content->>'instructions'`)}
      FROM ${activities} a JOIN ${units} u ON u.id = a.unit_id
      WHERE a.published_at IS NOT NULL AND ${inPublishedSkill(sql`u.skill_id`)}
    ),
    word_hits AS (
      SELECT entries.*, 'text' AS match, 0 AS tier, ts_rank(entries.search, ${query})::float8 AS rank
      FROM entries WHERE entries.search @@ ${query}
    ),
    name_hits AS (
      SELECT entries.*, 'similar_name' AS match, 1 AS tier, ${similarity}::float8 AS rank
      FROM entries
      WHERE (SELECT count(*) FROM word_hits) < ${limit}
        AND (${resembles}) AND ${notExcluded} AND entries.id NOT IN (SELECT id FROM word_hits)
    ),
    best AS (
      SELECT * FROM word_hits UNION ALL SELECT * FROM name_hits
      ORDER BY tier, rank DESC, name, id
      LIMIT ${limit}
    )
    SELECT kind, id, name, skill_id, unit_id, match, rank,
      CASE WHEN match = 'text' AND body <> ''
        THEN ts_headline('english', body, ${query}, ${HEADLINE_OPTIONS})
        ELSE left(body, 200) END AS snippet
    FROM best
    ORDER BY tier, rank DESC, name, id`
  return statement
}

/**
 * Settings for this transaction only: the threshold `<%` reads, and no sequential scans. The planner
 * prices pg_trgm's operators like an equality, so on 10 000 activities it scans the table computing
 * word similarity row by row (61 ms) where the trigram index finds the same rows in about 4 ms
 * (measured, `npm run bench -- --scale`); the full-text tier gains the same way.
 */
export const searchSettings = sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(NAME_SIMILARITY)}, true),
  set_config('enable_seqscan', 'off', true)`

export async function searchCatalogue(db: Db, q: string, limit: number) {
  const { named } = await retryReads(() =>
    batchByName(db, {
      settings: db.execute(searchSettings),
      hits: db.execute<SearchRow>(searchStatement(q, limit)),
    }),
  )
  return named.hits.rows.map((row) => ({
    kind: row.kind,
    id: row.id,
    name: row.name,
    skillId: row.skill_id,
    unitId: row.unit_id,
    match: row.match,
    rank: Number(row.rank),
    snippet: segments(row.snippet),
  }))
}

/** A snippet as segments of plain text, the matched words marked. */
function segments(snippet: string) {
  return snippet
    .split(new RegExp(`(${START}[^${STOP}]*${STOP})`))
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith(START)
        ? { text: part.slice(1, -1), highlighted: true }
        : { text: part.replaceAll(START, '').replaceAll(STOP, ''), highlighted: false },
    )
}
