/**
 * Where a submit's snapshot (what it decides from: mastery/decide.ts) comes from, and the one
 * builder that makes it from either source:
 *
 * - `snapshotFromToken`: its start's token (the learner's facts, signed) and what this Worker keeps
 *   of the catalogue in memory, for the one-trip path;
 * - `snapshotFromRead`: the two-trip path's read, which also fills the memory for the next one.
 *
 * The catalogue part is kept in the Worker's memory (one isolate's, never a shared or publicly
 * served cache: the content carries answer keys):
 *
 *   content    activity@contentVersion → the content, answer keys included; immutable
 *   skills     skill@catalogueVersion  → the BKT parameters, and each activity's unit, type and
 *                                        whether it is published
 *
 * Keys name immutable versions, so an entry is never stale: an author's edit makes a new version,
 * and the submit's guard checks the token's version is still current. Nothing is purged (other
 * isolates could not be); old versions age out of a small LRU. A miss costs the fallback's round trip.
 */

import { drawBindings, instantiate } from '../../content/bindings.ts'
import { feedbackPolicy } from '../../content/feedback-policy.ts'
import type { ActivityContent } from '../../content/schema.ts'
import type { ActivityType } from '../../db/schema.ts'
import { Lru } from '../../lib/lru.ts'
import type { BktParameters } from '../../mastery/bkt.ts'
import { type CreditHistory, creditWindowHours } from '../../mastery/credit.ts'
import type { SubmitSnapshot } from '../../mastery/decide.ts'
import type { SkillActivity } from '../../mastery/next-state.ts'
import type { MasteryState } from '../../mastery/state.ts'
import type { SubmitTokenClaims } from './submit-token.ts'

export type SkillStructure = {
  parameters: BktParameters
  activities: { id: string; unitId: string; type: ActivityType; published: boolean }[]
}

export const submitCache = {
  content: new Lru<ActivityContent>(256),
  skills: new Lru<SkillStructure>(128),
  /** Forgets everything: what a submit in another isolate sees. */
  clear() {
    submitCache.content.clear()
    submitCache.skills.clear()
  },
}

const contentKey = (activityId: string, contentVersion: number) => `${activityId}@${contentVersion}`
const skillKey = (skillId: string, catalogueVersion: number) => `${skillId}@${catalogueVersion}`

/**
 * Keeps what a read found of the catalogue: the content at its version, and the skill's structure
 * under the catalogue version read *before* it (so the structure is that version's or newer).
 */
export function rememberCatalogue(
  target: { activityId: string; contentVersion: number; skillId: string; catalogueVersion: number },
  content: ActivityContent,
  parameters: BktParameters,
  activities: SkillStructure['activities'],
) {
  submitCache.content.set(contentKey(target.activityId, target.contentVersion), content)
  submitCache.skills.set(skillKey(target.skillId, target.catalogueVersion), {
    parameters,
    activities: activities.map(({ id, unitId, type, published }) => ({ id, unitId, type, published })),
  })
}

/** What a snapshot is made of, whichever source it comes from. */
type SnapshotParts = {
  activityId: string
  type: ActivityType
  content: ActivityContent
  questions: readonly string[]
  seed: number | null
  ordinal: number | null
  history: CreditHistory
  parameters: BktParameters
  state: MasteryState | null
  activities: SkillActivity[]
}

/**
 * The one builder: both paths decide from the same snapshot for the same facts. The attempt's
 * instances are drawn from its seed and ordinal here, in the Worker, and graded in place.
 */
function snapshotOf({ type, content, seed, ordinal, ...parts }: SnapshotParts): SubmitSnapshot {
  const bindings = seed === null ? {} : drawBindings(content, parts.questions, seed, ordinal ?? 0)
  return {
    ...parts,
    content: instantiate(content, [], bindings).content,
    bindings,
    feedbackPolicy: feedbackPolicy(type, content),
    creditWindowHours: creditWindowHours(type, content.review),
  }
}

/** The snapshot a token and this Worker's memory make, or null when the memory lacks a part of it. */
export function snapshotFromToken(claims: SubmitTokenClaims): SubmitSnapshot | null {
  const content = submitCache.content.get(contentKey(claims.activityId, claims.contentVersion))
  const skill = submitCache.skills.get(skillKey(claims.skillId, claims.catalogueVersion))
  const activity = skill?.activities.find((a) => a.id === claims.activityId)
  if (!content || !skill || !activity) return null
  const completed = new Set(claims.completed)
  const passed = new Set(claims.passed)
  return snapshotOf({
    activityId: claims.activityId,
    type: activity.type,
    content,
    questions: claims.questions,
    seed: claims.seed,
    ordinal: claims.ordinal,
    history: claims.history,
    parameters: skill.parameters,
    state: claims.state,
    activities: skill.activities.map(({ id, unitId, published }) => ({
      id,
      unitId,
      published,
      completed: completed.has(id),
      passed: passed.has(id),
    })),
  })
}

/** What the two-trip path read of the attempt's activity and skill. */
type ReadTarget = {
  activityId: string
  contentVersion: number
  skillId: string
  catalogueVersion: number
  type: ActivityType
  questions: { id: string }[]
  seed: number | null
  ordinal: number | null
  history: CreditHistory
}

/** The snapshot the two-trip path's read makes; the catalogue part is kept for the next submit. */
export function snapshotFromRead(
  target: ReadTarget,
  read: { content: ActivityContent; parameters: BktParameters; state: MasteryState | null },
  activities: (SkillActivity & { type: ActivityType })[],
): SubmitSnapshot {
  rememberCatalogue(target, read.content, read.parameters, activities)
  return snapshotOf({
    activityId: target.activityId,
    type: target.type,
    content: read.content,
    questions: target.questions.map((question) => question.id),
    seed: target.seed,
    ordinal: target.ordinal,
    history: target.history,
    parameters: read.parameters,
    state: read.state,
    activities,
  })
}
