/** Drafts and published content: learners never see a draft; authors see and preview everything. */
import { describe, expect, it } from 'vitest'
import { insertActivity, insertSkill, insertUnit, sampleContent } from './fixtures.ts'
import { json, newLearner, send, testDb } from './helpers.ts'

const db = testDb()

type Authored = { id: string; status: 'draft' | 'published'; publishedAt: string | null }
type SubmitResult = {
  skillState: { masteryScore: number; progress: number }
  knowledge: { unitId: string; after: number }[]
}

const author = async (path: string, body: unknown, method = 'POST') =>
  json<Authored>(await send(method, path, { admin: true, body }), method === 'POST' ? 201 : 200)

const status = async (path: string, cookie?: string) => (await send('GET', path, { cookie })).status

/** A skill, a unit and an activity written through the admin API, as an author does: drafts. */
async function draftCatalogue() {
  const skill = await author('/v1/admin/skills', { name: 'Tidal ecology' })
  const unit = await author('/v1/admin/units', { skillId: skill.id, name: 'Rock pools' })
  const activity = await author('/v1/admin/activities', {
    unitId: unit.id,
    name: 'Barnacle census',
    content: sampleContent,
  })
  return { skill, unit, activity }
}

describe('drafts', () => {
  it('are what authors create by default, and learners see nothing of them', async () => {
    const { skill, unit, activity } = await draftCatalogue()
    expect(skill).toMatchObject({ status: 'draft', publishedAt: null })
    expect(activity).toMatchObject({ status: 'draft', publishedAt: null })
    const { cookie } = await newLearner()

    const listed = await json<{ items: { id: string }[] }>(await send('GET', '/v1/skills?limit=100'), 200)
    expect(listed.items.map((item) => item.id)).not.toContain(skill.id)
    for (const path of [`/v1/skills/${skill.id}`, `/v1/units/${unit.id}`, `/v1/activities/${activity.id}`]) {
      expect(await status(path), path).toBe(404)
    }
    expect(await status(`/v1/me/skills/${skill.id}`, cookie)).toBe(404)
    const found = await json<{ items: unknown[] }>(await send('GET', '/v1/search?q=barnacle'), 200)
    expect(found.items).toEqual([])
    const started = await send('POST', `/v1/activities/${activity.id}/attempts`, { cookie })
    expect(started.status).toBe(404)
    const next = await json<{ items: { skill: { id: string } }[] }>(
      await send('GET', '/v1/me/next?limit=20', { cookie }),
      200,
    )
    expect(next.items.map((item) => item.skill.id)).not.toContain(skill.id)

    // Authors preview it.
    expect(await status(`/v1/admin/activities/${activity.id}`)).toBe(401)
    const preview = await send('GET', `/v1/admin/activities/${activity.id}`, { admin: true })
    expect(await json(preview, 200)).toMatchObject({
      status: 'draft',
      content: { questions: expect.any(Array) },
    })
  })

  it('an activity is seen once it and its skill are published; publishing again keeps the first time', async () => {
    const { skill, activity } = await draftCatalogue()
    const { cookie } = await newLearner()
    const published = await author(`/v1/admin/skills/${skill.id}`, { status: 'published' }, 'PATCH')
    expect(published.status).toBe('published')
    expect(Date.parse(published.publishedAt ?? '')).toBeGreaterThan(Date.now() - 60_000)

    // The skill is seen, without its draft activity; the activity itself is still a 404.
    const tree = await json<{ units: { activities: unknown[] }[] }>(
      await send('GET', `/v1/skills/${skill.id}`),
      200,
    )
    expect(tree.units[0]?.activities).toEqual([])
    expect(await status(`/v1/activities/${activity.id}`)).toBe(404)
    expect((await send('POST', `/v1/activities/${activity.id}/attempts`, { cookie })).status).toBe(404)

    const live = await author(`/v1/admin/activities/${activity.id}`, { status: 'published' }, 'PATCH')
    expect(live.status).toBe('published')
    expect(await status(`/v1/activities/${activity.id}`)).toBe(200)
    expect((await send('POST', `/v1/activities/${activity.id}/attempts`, { cookie })).status).toBe(201)
    const again = await author(
      `/v1/admin/activities/${activity.id}`,
      { status: 'published', name: 'Census' },
      'PATCH',
    )
    expect(again.publishedAt).toBe(live.publishedAt)
    const hits = await json<{ items: { id: string }[] }>(await send('GET', '/v1/search?q=census'), 200)
    expect(hits.items.map((hit) => hit.id)).toContain(activity.id)

    // Back to draft: gone again, the time cleared.
    const unpublished = await author(`/v1/admin/activities/${activity.id}`, { status: 'draft' }, 'PATCH')
    expect(unpublished).toMatchObject({ status: 'draft', publishedAt: null })
    expect(await status(`/v1/activities/${activity.id}`)).toBe(404)
  })

  it('leave what mastery and progress ask: a draft unit does not count, an attempt started before still does', async () => {
    const skill = await insertSkill(db)
    const first = await insertUnit(db, skill.id, { order: 0 })
    const second = await insertUnit(db, skill.id, { order: 1 })
    const quiz = { type: 'test' as const }
    const a1 = await insertActivity(db, first.id, quiz)
    const a2 = await insertActivity(db, second.id, { ...quiz, publishedAt: null })
    const { cookie } = await newLearner()
    const right = { q1: 2, q2: 'b' }

    // u2's only activity is a draft: u1 is the whole skill, and so is progress.
    const submit = async (activityId: string) => {
      const attempt = await json<{ id: string }>(
        await send('POST', `/v1/activities/${activityId}/attempts`, { cookie }),
        201,
      )
      return attempt.id
    }
    const answer = async (attemptId: string) =>
      json<SubmitResult>(
        await send('POST', `/v1/attempts/${attemptId}/submit`, {
          cookie,
          body: { response: { answers: right } },
        }),
        200,
      )
    const one = await answer(await submit(a1.id))
    expect(one.knowledge.map((unit) => unit.unitId)).toEqual([first.id])
    expect(one.skillState.masteryScore).toBe(one.knowledge[0]?.after)
    expect(one.skillState.progress).toBe(1)
    const units = await json<{ units: { unitId: string; activityCount: number }[] }>(
      await send('GET', `/v1/me/skills/${skill.id}`, { cookie }),
      200,
    )
    expect(units.units.map((unit) => [unit.unitId, unit.activityCount])).toEqual([
      [first.id, 1],
      [second.id, 0],
    ])

    // Published, u2 counts: the mean of both units, half the activities passed.
    await send('PATCH', `/v1/admin/activities/${a2.id}`, { admin: true, body: { status: 'published' } })
    const pending = await submit(a2.id)
    const two = await answer(await submit(a1.id))
    expect(two.knowledge.map((unit) => unit.unitId)).toEqual([first.id, second.id])
    expect(two.skillState.progress).toBe(0.5)

    // Unpublished while this learner's attempt on it is open: it is still graded, and still teaches u2.
    await send('PATCH', `/v1/admin/activities/${a2.id}`, { admin: true, body: { status: 'draft' } })
    const late = await answer(pending)
    expect(late.knowledge.map((unit) => unit.unitId)).toEqual([first.id])
    expect(late.skillState.progress).toBe(1)
    const [row] = await db.$client.query(
      `SELECT unit_knowledge->>'${second.id}' AS u2 FROM skill_states WHERE skill_id = $1`,
      [skill.id],
    )
    expect(Number(row?.u2)).toBeGreaterThan(0.2)
  })

  it('travel in the catalogue document: exported with their status, imported as they say', async () => {
    const { skill, activity } = await draftCatalogue()
    const exported = await json<{
      skills: { id: string; status: string; units: { activities: { status: string }[] }[] }[]
    }>(await send('GET', '/v1/admin/catalogue/export', { admin: true }), 200)
    const mine = exported.skills.find((s) => s.id === skill.id)
    expect(mine?.status).toBe('draft')
    expect(mine?.units[0]?.activities[0]?.status).toBe('draft')

    // A document from before drafts has no status: everything in it is published.
    const { status: _skillStatus, ...legacySkill } = mine as NonNullable<typeof mine>
    const legacy = {
      ...exported,
      skills: [
        {
          ...legacySkill,
          units: legacySkill.units.map((unit) => ({
            ...unit,
            activities: unit.activities.map(({ status: _status, ...rest }) => rest),
          })),
        },
      ],
    }
    const report = await json<{ updated: { skills: string[]; activities: string[] } }>(
      await send('POST', '/v1/admin/catalogue/import', { admin: true, body: legacy }),
      200,
    )
    expect(report.updated).toMatchObject({ skills: [skill.id], activities: [activity.id] })
    expect(await status(`/v1/activities/${activity.id}`)).toBe(200)
    const again = await json<{ updated: { skills: string[] } }>(
      await send('POST', '/v1/admin/catalogue/import', { admin: true, body: legacy }),
      200,
    )
    expect(again.updated.skills).toEqual([])
  })
})
