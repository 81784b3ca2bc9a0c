/**
 * A learner's skills as they read now, and what follows from them: a skill is *recommended after*
 * the prerequisites the learner has not mastered yet (a soft lock — it stays open, clearly marked).
 * Shared by /v1/me/skills and /v1/me/next, so both say the same thing about the same learner.
 */
import type * as z from 'zod'
import type { Skill, SkillState } from '../../db/schema.ts'
import { bktParameters } from '../../mastery/bkt.ts'
import type { SkillRefSchema } from '../../schemas/catalogue.ts'
import { presentSkillState, type SkillStateSchema } from '../../schemas/progress.ts'

export type SkillRow = { skill: Skill; state: SkillState | null; unitIds: string[] }
export type Edge = { skillId: string; requiredSkillId: string }
type SkillRef = z.infer<typeof SkillRefSchema>

export type LearnerSkill = {
  skill: Skill
  state: SkillState | null
  unitIds: string[]
  pInit: number
  /** The state as presented: status, mastery over the current units, due date. */
  read: z.infer<typeof SkillStateSchema>
  /** The ids of the skills this one requires (grouped once from the edges, not searched per skill). */
  requires: string[]
}

const isMastered = ({ read }: LearnerSkill) => read.status === 'mastered' || read.status === 'review_needed'

export const refOf = ({ skill }: LearnerSkill): SkillRef => ({
  id: skill.id,
  name: skill.name,
  level: skill.level,
})

export function learnerSkills(rows: SkillRow[], edges: Edge[], now: Date): Map<string, LearnerSkill> {
  const requiredBy = Map.groupBy(edges, (edge) => edge.skillId)
  return new Map(
    rows.map(({ skill, state, unitIds }) => {
      const { pInit } = bktParameters(skill.metadata)
      const read = presentSkillState(skill.id, state, { unitIds, pInit }, now)
      const requires = (requiredBy.get(skill.id) ?? []).map((edge) => edge.requiredSkillId)
      return [skill.id, { skill, state, unitIds, pInit, read, requires }]
    }),
  )
}

/** The prerequisites of `skill` this learner has not mastered, by level then name. */
export function recommendedAfter(skill: LearnerSkill, skills: Map<string, LearnerSkill>): SkillRef[] {
  return skill.requires
    .map((id) => skills.get(id))
    .filter((required): required is LearnerSkill => required !== undefined && !isMastered(required))
    .map(refOf)
    .sort((a, b) => a.level - b.level || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}
