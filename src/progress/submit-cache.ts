/**
 * What a submit with a token needs of the catalogue, kept in the Worker's memory (one isolate's,
 * never a shared or publicly served cache: the content carries answer keys):
 *
 *   content    activity@contentVersion → the content, answer keys included; immutable
 *   skills     skill@catalogueVersion  → the BKT parameters, and each activity's unit, type and
 *                                        whether it is published
 *
 * Keys name immutable versions, so an entry is never stale: an author's edit makes a new version,
 * and the submit's guard checks the token's version is still current. Nothing is purged (other
 * isolates could not be); old versions age out of a small LRU. A miss costs the fallback's round trip.
 */
import type { ActivityContent } from '../content/schema.ts'
import type { ActivityType } from '../db/schema.ts'
import { Lru } from '../lib/lru.ts'
import type { BktParameters } from '../mastery/bkt.ts'

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

export const contentKey = (activityId: string, contentVersion: number) => `${activityId}@${contentVersion}`
export const skillKey = (skillId: string, catalogueVersion: number) => `${skillId}@${catalogueVersion}`

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
