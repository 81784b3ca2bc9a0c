/**
 * Knowledge per unit. Each unit of a skill is a knowledge component with its own BKT P(L) (bkt.ts),
 * updated only by the questions of its own activities. A skill's mastery is read from its units:
 *
 *   masteryScore = mean over the skill's units that have activities of P(L)_unit,
 *                  a unit never practised counting at the prior P(L0)
 *   learned      = every such unit practised and at P(L) ≥ 0.95
 *
 * The units are the skill's units *now*: a unit added after a skill was mastered makes it read as
 * in progress until that unit is learned too. A skill never started reads at the prior as well, so
 * the number does not jump at the first answer.
 */
import { MASTERY_THRESHOLD } from './bkt.ts'

export type UnitKnowledge = Record<string, number>

export function skillKnowledge(unitKnowledge: UnitKnowledge, unitIds: readonly string[], pInit: number) {
  const values = unitIds.map((id) => unitKnowledge[id] ?? pInit)
  const masteryScore = values.length === 0 ? pInit : values.reduce((sum, v) => sum + v, 0) / values.length
  const learned = unitIds.length > 0 && unitIds.every((id) => (unitKnowledge[id] ?? 0) >= MASTERY_THRESHOLD)
  return { masteryScore, learned }
}
