/**
 * Data migrations: what SQL cannot do, run once by `migrate()` right after the SQL migration they
 * follow, each recorded in drizzle.__data_migrations. Today: bringing every stored skill state to the
 * model of per-unit knowledge and honest credit (drizzle/0009), then to the credit window
 * (drizzle/0017), by replaying its attempts through `decide` — the same fold a merge uses
 * (src/mastery/replay.ts).
 */
import { and, asc, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../src/db/client.ts'
import { attempts, skillStates, units } from '../../src/db/schema.ts'
import { type Replayed, replaySkill } from '../../src/mastery/replay.ts'
import {
  completedHistory,
  creditRewrite,
  replayable,
  replayedSkill,
  skillActivities,
} from '../../src/progress/merge/history.ts'

export type DataMigration = { name: string; after: string; run: (db: Db) => Promise<string> }

/** States per batch: one read and one write round trip each. */
const PAGE = 200

type Key = { learnerId: string; skillId: string }

/**
 * Every skill state replayed from its learner's completed attempts of the skill: per-unit P(L),
 * mastery as their mean, status, card and progress; and each attempt's `credited` flags rewritten to
 * what the model now credits (an answer shown before is not evidence). Each state is written only if
 * its version is still the one read, so a learner submitting meanwhile loses nothing: such a state is
 * replayed again in the next pass.
 */
async function replaySkillStates(db: Db): Promise<string> {
  let replayed = 0
  let pending: Key[] | null = null
  for (let pass = 0; pass < 5 && (pending === null || pending.length > 0); pass++) {
    const retry: Key[] = []
    let after: Key | undefined
    for (;;) {
      const page: Key[] = pending
        ? pending.splice(0, PAGE)
        : await db
            .select({ learnerId: skillStates.learnerId, skillId: skillStates.skillId })
            .from(skillStates)
            .where(
              after
                ? or(
                    gt(skillStates.learnerId, after.learnerId),
                    and(eq(skillStates.learnerId, after.learnerId), gt(skillStates.skillId, after.skillId)),
                  )
                : undefined,
            )
            .orderBy(asc(skillStates.learnerId), asc(skillStates.skillId))
            .limit(PAGE)
      if (page.length === 0) break
      after = page.at(-1)
      const written = await replayPage(db, page)
      replayed += written.done
      retry.push(...written.moved)
    }
    pending = retry
  }
  if (pending && pending.length > 0)
    throw new Error(`${pending.length} skill states kept changing while replayed`)
  return `${replayed} skill state(s) replayed`
}

async function replayPage(db: Db, page: Key[]) {
  const pairs = (learner: SQL, skill: SQL) =>
    or(...page.map((key) => and(sql`${learner} = ${key.learnerId}`, sql`${skill} = ${key.skillId}`)))
  const skillIds = [...new Set(page.map((key) => key.skillId))]
  const [states, history, activitiesOfSkills] = await db.batch([
    db
      .select()
      .from(skillStates)
      .where(pairs(sql`${skillStates.learnerId}`, sql`${skillStates.skillId}`)),
    completedHistory(db, pairs(sql`${attempts.learnerId}`, sql`${units.skillId}`)),
    skillActivities(db, inArray(units.skillId, skillIds)),
  ])
  const writes = []
  const written: Key[] = []
  const credit: Replayed['credit'] = new Map()
  for (const state of states) {
    const result = replaySkill(
      replayedSkill(activitiesOfSkills, state.skillId),
      replayable(history, state.skillId, [state.learnerId]),
    )
    if (!result.state) continue
    for (const [id, questions] of result.credit) credit.set(id, questions)
    written.push({ learnerId: state.learnerId, skillId: state.skillId })
    writes.push(
      db
        .update(skillStates)
        .set({ ...result.state, version: sql`${skillStates.version} + 1` })
        .where(and(eq(skillStates.id, state.id), eq(skillStates.version, state.version)))
        .returning({ learnerId: skillStates.learnerId, skillId: skillStates.skillId }),
    )
  }
  if (writes.length === 0) return { done: 0, moved: [] }
  const [first, ...rest] = writes
  const results = await db.batch([first as NonNullable<typeof first>, ...rest, creditRewrite(db, credit)])
  const updated = results.slice(0, writes.length) as { learnerId: string; skillId: string }[][]
  const done = new Set(updated.flat().map((key) => `${key.learnerId}:${key.skillId}`))
  const moved = written.filter((key) => !done.has(`${key.learnerId}:${key.skillId}`))
  return { done: done.size, moved }
}

export const dataMigrations: DataMigration[] = [
  {
    name: 'replay_skill_states_per_unit',
    after: '0009_knowledge_versions_prerequisites_search',
    run: replaySkillStates,
  },
  {
    // The credit window (src/mastery/credit.ts): the same replay, under the new rule.
    name: 'replay_skill_states_credit_window',
    after: '0017_renewing_questions',
    run: replaySkillStates,
  },
]
