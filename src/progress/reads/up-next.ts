/**
 * "Up next": what this learner should do now, in order, each step with its reason.
 *
 *   1. review_due — a mastered skill whose FSRS review is due, most overdue first;
 *   2. continue   — a skill in progress, most recently practised first: its weakest unit (lowest
 *                   P(L), a unit never practised at the prior; ties by unit order) that still has an
 *                   activity not passed, and that activity (the first by order); when every unit is
 *                   passed but not yet learned, the weakest unit's first activity, to practise again;
 *   3. start      — a skill not started whose prerequisites are all mastered, lowest level first,
 *                   then by name: its first activity.
 *
 * Review steps also go to the weakest unit. A draft, and a skill without published activities, is
 * never suggested. The data comes from one batch (`upNextStatements`); the choice is made here,
 * deterministically.
 */
import { and, asc, eq, type SQL, sql } from 'drizzle-orm'
import { activityPublished, inPublishedSkill } from '../../catalogue/publication.ts'
import type { Db } from '../../db/client.ts'
import { activities, type activityType, skillStates, units } from '../../db/schema.ts'
import { learnerCompleted, mySkills, prerequisiteEdges } from '../queries.ts'
import { type LearnerSkill, recommendedAfter, refOf } from './learner-skills.ts'

const unitActivity = {
  skillId: units.skillId,
  unitId: units.id,
  unitName: units.name,
  unitOrder: units.order,
  activityId: activities.id,
  activityName: activities.name,
  activityType: activities.type,
}

/**
 * Per unit of the skills this learner has started: one activity — the first by order not passed
 * yet, else the first — and whether it was passed. Only started skills: what it costs follows what
 * the learner did, not the size of the catalogue.
 */
function activityPerStartedUnit(db: Db, learnerId: SQL) {
  const passed = learnerCompleted(learnerId, true)
  return db
    .selectDistinctOn([activities.unitId], { ...unitActivity, passed: sql<boolean>`${passed}` })
    .from(activities)
    .innerJoin(units, eq(units.id, activities.unitId))
    .innerJoin(skillStates, and(eq(skillStates.skillId, units.skillId), eq(skillStates.learnerId, learnerId)))
    .where(activityPublished)
    .orderBy(activities.unitId, asc(passed), asc(activities.order), asc(activities.id))
}

/**
 * Each skill's first activity (its first unit with activities, by order): where a new skill starts.
 * One index probe per unit (activities_unit_order_idx), whatever the number of activities.
 */
function firstActivityPerSkill(db: Db) {
  const first = db
    .select({ id: activities.id, name: activities.name, type: activities.type })
    .from(activities)
    .where(and(eq(activities.unitId, units.id), activityPublished))
    .orderBy(asc(activities.order), asc(activities.id))
    .limit(1)
    .as('first')
  return db
    .selectDistinctOn([units.skillId], {
      skillId: units.skillId,
      unitId: units.id,
      unitName: units.name,
      unitOrder: units.order,
      activityId: first.id,
      activityName: first.name,
      activityType: first.type,
      passed: sql<boolean>`false`,
    })
    .from(units)
    .innerJoinLateral(first, sql`true`)
    .where(inPublishedSkill(units.skillId))
    .orderBy(units.skillId, asc(units.order), asc(units.id))
}

/** Everything up next is chosen from: one batch, one round trip with the learner's lookup. */
export const upNextStatements = (db: Db, learnerId: SQL) => ({
  skills: mySkills(db, learnerId),
  edges: prerequisiteEdges(db),
  units: activityPerStartedUnit(db, learnerId),
  firsts: firstActivityPerSkill(db),
})

type UnitActivity = Awaited<ReturnType<typeof activityPerStartedUnit>>[number]
type ActivityType = (typeof activityType.enumValues)[number]

export type NextStep = {
  reason: 'review_due' | 'continue' | 'start'
  skill: { id: string; name: string; level: number }
  unit: { id: string; name: string; knowledge: number }
  activity: { id: string; name: string; type: ActivityType }
  dueAt: string | null
  explanation: string
}

const percent = (value: number) => `${Math.round(value * 100)}%`

/** The unit to work on in a skill, with its activity; undefined for a skill without activities. */
function weakestUnit(skill: LearnerSkill, unitsOfSkill: UnitActivity[]) {
  const knowledgeOf = (unit: UnitActivity) => skill.state?.unitKnowledge[unit.unitId] ?? skill.pInit
  const byWeakness = [...unitsOfSkill].sort(
    (a, b) =>
      knowledgeOf(a) - knowledgeOf(b) || a.unitOrder - b.unitOrder || a.unitId.localeCompare(b.unitId),
  )
  const unit = byWeakness.find((candidate) => !candidate.passed) ?? byWeakness[0]
  return unit && { unit, knowledge: knowledgeOf(unit) }
}

function stepFor(
  reason: NextStep['reason'],
  skill: LearnerSkill,
  unitsOfSkill: UnitActivity[],
): NextStep | undefined {
  const weakest = weakestUnit(skill, unitsOfSkill)
  if (!weakest) return undefined
  const { unit, knowledge } = weakest
  const dueAt = reason === 'review_due' ? skill.read.nextReviewAt : null
  const explanation = {
    review_due: `${skill.skill.name} is due for review; its weakest unit is ${unit.unitName} (${percent(knowledge)}).`,
    continue: `${unit.unitName} is the weakest unit of ${skill.skill.name} (${percent(knowledge)})${
      unit.passed ? '; practise it again.' : '.'
    }`,
    start: `${skill.requires.length > 0 ? 'Its prerequisites are mastered: ready' : 'Ready'} to start (level ${skill.skill.level}).`,
  }[reason]
  return {
    reason,
    skill: refOf(skill),
    unit: { id: unit.unitId, name: unit.unitName, knowledge },
    activity: { id: unit.activityId, name: unit.activityName, type: unit.activityType },
    dueAt,
    explanation,
  }
}

export function upNext(
  skills: Map<string, LearnerSkill>,
  { units, firsts }: { units: UnitActivity[]; firsts: UnitActivity[] },
  limit: number,
): NextStep[] {
  // A skill not started has nothing passed: its first activity is where it starts.
  const unitsBySkill = Map.groupBy(units, (row) => row.skillId)
  for (const first of firsts) if (!unitsBySkill.has(first.skillId)) unitsBySkill.set(first.skillId, [first])
  const all = [...skills.values()]
  const byName = (a: LearnerSkill, b: LearnerSkill) =>
    a.skill.name.localeCompare(b.skill.name) || a.skill.id.localeCompare(b.skill.id)
  const time = (value: string | null) => (value ? Date.parse(value) : 0)

  const due = all
    .filter((skill) => skill.read.status === 'review_needed')
    .sort((a, b) => time(a.read.nextReviewAt) - time(b.read.nextReviewAt) || byName(a, b))
  const inProgress = all
    .filter((skill) => skill.read.status === 'in_progress')
    .sort((a, b) => time(b.read.updatedAt) - time(a.read.updatedAt) || byName(a, b))
  const ready = all
    .filter((skill) => skill.read.status === 'not_started')
    .filter((skill) => recommendedAfter(skill, skills).length === 0)
    .sort((a, b) => a.skill.level - b.skill.level || byName(a, b))

  const step = (reason: NextStep['reason']) => (skill: LearnerSkill) =>
    stepFor(reason, skill, unitsBySkill.get(skill.skill.id) ?? [])
  const steps = [
    ...due.map(step('review_due')),
    ...inProgress.map(step('continue')),
    ...ready.map(step('start')),
  ]
  return steps.filter((step): step is NextStep => step !== undefined).slice(0, limit)
}
