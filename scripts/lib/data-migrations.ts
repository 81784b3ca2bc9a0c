/**
 * Data migrations: what SQL cannot do, run once by `migrate()` right after the SQL migration they
 * follow, each recorded in drizzle.__data_migrations. Today: bringing every stored skill state to the
 * model of per-unit knowledge and honest credit (drizzle/0009), then to the credit window
 * (drizzle/0017), by replaying its attempts through `decide` — the same fold a merge uses
 * (src/mastery/replay.ts).
 */
import { and, asc, eq, gt, or } from 'drizzle-orm'
import type { Db } from '../../src/db/client.ts'
import { skillStates } from '../../src/db/schema.ts'
import { type StateKey as Key, replayStates } from '../../src/progress/merge/replay-states.ts'

export type DataMigration = { name: string; after: string; run: (db: Db) => Promise<string> }

/** States per batch: one read and one write round trip each. */
const PAGE = 200

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
      const written = await replayStates(db, page)
      replayed += written.done
      retry.push(...written.moved)
    }
    pending = retry
  }
  if (pending && pending.length > 0)
    throw new Error(`${pending.length} skill states kept changing while replayed`)
  return `${replayed} skill state(s) replayed`
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
