/**
 * Skill states rebuilt from what their learners have left: each (learner, skill) replayed from its
 * completed attempts (mastery/replay.ts), written only if its version is still the one read, with its
 * attempts' credit flags rewritten alongside. Two round trips per call: one read, one write. Used by
 * the data migrations that bring stored states to a new model (scripts/lib/data-migrations.ts) and by
 * an import that prunes activities, whose attempts took the knowledge they earned with them.
 */
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm'
import { batchByName } from '../../db/batch.ts'
import type { Db } from '../../db/client.ts'
import { attempts, skillStates, units } from '../../db/schema.ts'
import { type Replayed, replaySkill } from '../../mastery/replay.ts'
import type { MasteryState } from '../../mastery/state.ts'
import { completedHistory, creditRewrite, replayable, replayedSkill, skillActivities } from './history.ts'

export type StateKey = { learnerId: string; skillId: string }

/** A state's new value, or its deletion when nothing is left to build it from; only at the version read. */
function writeOf(db: Db, state: { id: string; version: number }, replayed: MasteryState | null) {
  const unchanged = and(eq(skillStates.id, state.id), eq(skillStates.version, state.version))
  const key = { learnerId: skillStates.learnerId, skillId: skillStates.skillId }
  return replayed
    ? db
        .update(skillStates)
        .set({ ...replayed, version: sql`${skillStates.version} + 1` })
        .where(unchanged)
        .returning(key)
    : db.delete(skillStates).where(unchanged).returning(key)
}

/**
 * Replays `keys`. A state left with no completed attempt is deleted when `dropEmptied` (a prune took
 * all its evidence), kept otherwise. `moved`: the keys whose version changed meanwhile, to replay again.
 */
export async function replayStates(db: Db, keys: StateKey[], { dropEmptied = false } = {}) {
  if (keys.length === 0) return { done: 0, moved: [] as StateKey[] }
  const pairs = (learner: SQL, skill: SQL) =>
    or(...keys.map((key) => and(sql`${learner} = ${key.learnerId}`, sql`${skill} = ${key.skillId}`)))
  const skillIds = [...new Set(keys.map((key) => key.skillId))]
  const { named: read } = await batchByName(db, {
    states: db
      .select()
      .from(skillStates)
      .where(pairs(sql`${skillStates.learnerId}`, sql`${skillStates.skillId}`)),
    history: completedHistory(db, pairs(sql`${attempts.learnerId}`, sql`${units.skillId}`)),
    structure: skillActivities(db, inArray(units.skillId, skillIds)),
  })
  const { states, history, structure: activitiesOfSkills } = read
  const writes: Record<string, ReturnType<typeof writeOf>> = {}
  const written: StateKey[] = []
  const credit: Replayed['credit'] = new Map()
  for (const state of states) {
    const result = replaySkill(
      replayedSkill(activitiesOfSkills, state.skillId),
      replayable(history, state.skillId, [state.learnerId]),
    )
    if (!result.state && !dropEmptied) continue
    for (const [id, questions] of result.credit) credit.set(id, questions)
    written.push({ learnerId: state.learnerId, skillId: state.skillId })
    writes[`state${written.length - 1}`] = writeOf(db, state, result.state)
  }
  if (written.length === 0) return { done: 0, moved: [] as StateKey[] }
  const { named } = await batchByName(db, { ...writes, credit: creditRewrite(db, credit) })
  const { credit: _credit, ...stored } = named
  const updated = Object.values(stored) as StateKey[][]
  const done = new Set(updated.flat().map((key) => `${key.learnerId}:${key.skillId}`))
  const moved = written.filter((key) => !done.has(`${key.learnerId}:${key.skillId}`))
  return { done: done.size, moved }
}
