/** Search: stemming, ranking, safe snippets, typos, what is never searchable, its round trips. */
import { describe, expect, it } from 'vitest'
import { activityContent } from '../src/content/schema.ts'
import { insertActivity, insertSkill, insertUnit } from './fixtures.ts'
import { callWorker, countRoundTrips, expectProblem, json, send, testDb } from './helpers.ts'

const db = testDb()

type Hit = {
  kind: string
  id: string
  name: string
  skillId: string
  unitId: string | null
  match: string
  snippet: { text: string; highlighted: boolean }[]
}

const search = async (query: string) =>
  (await json<{ items: Hit[] }>(await send('GET', `/v1/search?${query}`), 200)).items

async function catalogue() {
  const skill = await insertSkill(db, {
    name: 'Fractions',
    description: 'Parts of a whole, and adding them.',
  })
  const unit = await insertUnit(db, skill.id, {
    name: 'Adding fractions',
    description: 'Common denominators first.',
  })
  const activity = await insertActivity(db, unit.id, {
    name: 'Halves and quarters',
    description: 'A practice round.',
    content: activityContent.parse({
      instructions: 'Try adding the two fractions, then simplify the result.',
      questions: [
        {
          id: 'q1',
          kind: 'short_text',
          prompt: 'What is 1/2 + 1/4?',
          acceptedAnswers: ['zanzibarquark'],
          explanation: 'The secret explanation mentions walrus.',
        },
      ],
    }),
  })
  return { skill, unit, activity }
}

describe('GET /v1/search', () => {
  it('finds words in names, descriptions and instructions, names ranked first, and stems them', async () => {
    const { skill, unit, activity } = await catalogue()
    const hits = await search('q=adding')
    // The unit's name, the skill's description, the activity's instructions.
    expect(hits.map((hit) => hit.id)).toEqual([unit.id, skill.id, activity.id])
    // "denominator" finds "denominators" (the english stemmer), in the unit's description.
    expect((await search('q=denominator')).map((hit) => [hit.id, hit.match])).toEqual([[unit.id, 'text']])
    expect(hits[0]).toMatchObject({ kind: 'unit', skillId: skill.id, unitId: unit.id, match: 'text' })
    expect(hits[2]).toMatchObject({ kind: 'activity', skillId: skill.id, unitId: unit.id })
    expect(hits[1]?.unitId).toBeNull()
  })

  it('returns snippets as plain segments with the matched words highlighted', async () => {
    await catalogue()
    const [hit] = await search('q=simplify')
    expect(hit?.snippet.filter((part) => part.highlighted).map((part) => part.text)).toEqual(['simplify'])
    expect(hit?.snippet.map((part) => part.text).join('')).toContain('the two fractions, then simplify')
  })

  it('never searches answer keys, explanations or prompts', async () => {
    await catalogue()
    expect(await search('q=zanzibarquark')).toEqual([])
    expect(await search('q=walrus')).toEqual([])
  })

  it('finds a name by a misspelt word, after every full-text match', async () => {
    const { unit } = await catalogue()
    // A common word is no typo: "and" is in a name, and finds nothing.
    expect(await search('q=and')).toEqual([])
    const typo = await search('q=fractoins')
    expect(typo[0]).toMatchObject({ match: 'similar_name' })
    expect(typo.map((hit) => hit.name)).toContain('Fractions')
    // A full-text match for one word, a similar name for the other.
    const mixed = await search(`q=${encodeURIComponent('denominators OR quartres')}`)
    expect(mixed.map((hit) => [hit.id === unit.id ? 'unit' : hit.name, hit.match])).toEqual([
      ['unit', 'text'],
      ['Halves and quarters', 'similar_name'],
    ])
  })

  it('honours limit, websearch syntax, and refuses a blank or over-long query', async () => {
    await catalogue()
    expect(await search('q=adding&limit=1')).toHaveLength(1)
    expect((await search(`q=${encodeURIComponent('adding -denominators')}`)).map((hit) => hit.kind)).toEqual([
      'skill',
      'activity',
    ])
    await expectProblem(await send('GET', '/v1/search?q=%20%20'), 400)
    await expectProblem(await send('GET', `/v1/search?q=${'a'.repeat(201)}`), 400)
    await expectProblem(await send('GET', '/v1/search'), 400)
    await expectProblem(await send('GET', '/v1/search?q=a&limit=51'), 400)
  })

  it('costs one round trip, and none when the edge has it (a short TTL, never purged)', async () => {
    await catalogue()
    const word = `adding ${crypto.randomUUID().slice(0, 8)} or fractions`
    const call = () =>
      callWorker(new Request(`http://api.test/v1/search?q=${encodeURIComponent(word)}`), {
        CATALOGUE_TTL_SECONDS: '60',
      })
    const miss = await countRoundTrips(call)
    expect(miss.roundTrips).toBe(1)
    expect(miss.result.headers.get('cache-control')).toBe('public, max-age=30')
    const hit = await countRoundTrips(call)
    expect(hit.roundTrips).toBe(0)
    expect(hit.result.headers.get('x-cache')).toBe('HIT')
    expect(await hit.result.text()).toBe(await miss.result.text())
  })
})
