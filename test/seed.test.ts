import { count } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { SEED_IDS, seed, seedActivities } from '../scripts/seed.ts'
import { instanceProblems } from '../src/content/authoring-check.ts'
import { isParameterised } from '../src/content/parameterised.ts'
import { activityContent } from '../src/content/schema.ts'
import { activities, skillPrerequisites, skills, units } from '../src/db/schema.ts'
import { testDb } from './helpers.ts'

const db = testDb()

const snapshot = async () => ({
  skills: await db.select().from(skills).orderBy(skills.id),
  units: await db.select().from(units).orderBy(units.id),
  activities: await db.select().from(activities).orderBy(activities.id),
})

describe('db:seed', () => {
  it('creates the sample catalogue: 3 skills, 4 units, 6 activities, one prerequisite, one pool', async () => {
    await seed(db)
    const [skillCount] = await db.select({ n: count() }).from(skills)
    const [unitCount] = await db.select({ n: count() }).from(units)
    const [activityCount] = await db.select({ n: count() }).from(activities)
    expect([skillCount?.n, unitCount?.n, activityCount?.n]).toEqual([3, 4, 6])
    const names = (await db.select({ name: units.name }).from(units)).map((u) => u.name).sort()
    expect(names).toEqual(['Addition', 'Scientific Method', 'Subtraction', 'Times tables'])
    expect(await db.select().from(skillPrerequisites)).toMatchObject([
      { skillId: SEED_IDS.skills.multiplication, requiredSkillId: SEED_IDS.skills.math },
    ])
    const pool = seedActivities.find((activity) => activity.id === SEED_IDS.activities.timesTables)
    expect(activityContent.parse(pool?.content)).toMatchObject({ draw: 4, shuffle: true })
  })

  it('is idempotent: a second run changes nothing, not even timestamps', async () => {
    await seed(db)
    const first = await snapshot()
    await seed(db)
    expect(await snapshot()).toEqual(first)
  })

  it('keeps edits made since the first run', async () => {
    await seed(db)
    await db.update(skills).set({ name: 'Arithmetic' })
    await seed(db)
    const names = (await db.select({ name: skills.name }).from(skills)).map((s) => s.name)
    expect(names).toEqual(['Arithmetic', 'Arithmetic', 'Arithmetic'])
  })

  it('ships gradable content: every activity passes the content schema and has answers', async () => {
    for (const activity of seedActivities) {
      const content = activityContent.parse(activity.content)
      expect(content.questions.length).toBeGreaterThanOrEqual(3)
      for (const question of content.questions) {
        const key =
          'answer' in question
            ? question.answer
            : 'answers' in question
              ? question.answers
              : question.acceptedAnswers
        expect(key, `${activity.name} ${question.id}`).toBeDefined()
      }
    }
    // What an author's save checks: the parameterised arithmetic draws instances that work.
    for (const activity of seedActivities)
      expect(instanceProblems(activityContent.parse(activity.content)), activity.name).toEqual([])
    const renewing = seedActivities.filter((a) =>
      activityContent.parse(a.content).questions.some((q) => isParameterised(q)),
    )
    expect(renewing.map((a) => a.name)).toEqual(['Single-digit addition', 'Take away', 'Times tables quiz'])
    const kinds = new Set(
      seedActivities.flatMap((a) => activityContent.parse(a.content).questions.map((q) => q.kind)),
    )
    expect([...kinds].sort()).toEqual(['multiple_choice', 'numeric', 'short_text', 'single_choice'])
  })
})
