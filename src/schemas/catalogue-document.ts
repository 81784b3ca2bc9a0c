/**
 * A whole catalogue as one versioned JSON document: what `GET /v1/admin/catalogue/export` answers
 * and `POST /v1/admin/catalogue/import` takes. Skills hold their units, units their activities (with
 * answer keys), and each skill names the skills it requires. Timestamps are left out, so exporting,
 * importing into an empty database and exporting again gives the same bytes.
 */
import * as z from 'zod'
import { activity, checkingInstances, id, publication, skill, unit } from './admin.ts'

export const CATALOGUE_FORMAT = 'learning-progress-catalogue'

const { unitId: _unitId, ...activityFields } = activity
const { skillId: _skillId, ...unitFields } = unit

/** Documents exported before drafts existed have no status: everything in them was published. */
const status = publication.default('published')

const DocumentActivity = z
  .strictObject({ id, ...activityFields, status })
  .superRefine(checkingInstances)
  .meta({ id: 'CatalogueDocumentActivity' })
const DocumentUnit = z
  .strictObject({ id, ...unitFields, activities: z.array(DocumentActivity).max(500) })
  .meta({ id: 'CatalogueDocumentUnit' })
const DocumentSkill = z
  .strictObject({
    id,
    ...skill,
    status,
    prerequisites: z
      .array(id)
      .max(50)
      .meta({ description: 'Ids of the skills this one requires, in the document.' }),
    units: z.array(DocumentUnit).max(200),
  })
  .meta({ id: 'CatalogueDocumentSkill' })

export type CatalogueDocument = z.infer<typeof CatalogueDocumentSchema>

/** Ids are unique across the document, prerequisites name skills of the document, and close no cycle. */
function checkReferences(document: { skills: z.infer<typeof DocumentSkill>[] }, ctx: z.RefinementCtx) {
  const seen = new Map<string, string>()
  const claim = (value: string, path: (string | number)[]) => {
    const first = seen.get(value)
    if (first) ctx.addIssue({ code: 'custom', path, message: `this id is already used at ${first}` })
    else seen.set(value, `#/${path.join('/')}`)
  }
  const skillIds = new Set(document.skills.map((s) => s.id))
  for (const [i, s] of document.skills.entries()) {
    claim(s.id, ['skills', i, 'id'])
    for (const [j, required] of s.prerequisites.entries()) {
      if (!skillIds.has(required) || required === s.id) {
        ctx.addIssue({
          code: 'custom',
          path: ['skills', i, 'prerequisites', j],
          message:
            required === s.id
              ? 'a skill cannot require itself'
              : 'must be the id of a skill in this document',
        })
      }
    }
    for (const [k, u] of s.units.entries()) {
      claim(u.id, ['skills', i, 'units', k, 'id'])
      for (const [m, a] of u.activities.entries())
        claim(a.id, ['skills', i, 'units', k, 'activities', m, 'id'])
    }
  }
  const cycle = findCycle(document.skills)
  if (cycle) {
    ctx.addIssue({
      code: 'custom',
      path: ['skills', cycle.index, 'prerequisites'],
      message: `these prerequisites close a cycle: ${cycle.names.join(' → ')}`,
    })
  }
}

/** A cycle of prerequisites, if any (depth-first search, colouring skills as visited). */
function findCycle(skills: { id: string; name: string; prerequisites: string[] }[]) {
  const byId = new Map(skills.map((s, index) => [s.id, { ...s, index }]))
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (skillId: string): string[] | undefined => {
    if (state.get(skillId) === 'done') return undefined
    if (state.get(skillId) === 'open') return [...path.slice(path.indexOf(skillId)), skillId]
    state.set(skillId, 'open')
    path.push(skillId)
    for (const required of byId.get(skillId)?.prerequisites ?? []) {
      const found = byId.has(required) ? visit(required) : undefined
      if (found) return found
    }
    path.pop()
    state.set(skillId, 'done')
    return undefined
  }
  for (const s of skills) {
    const found = visit(s.id)
    if (found) {
      const first = byId.get(found[0] as string)
      return { index: first?.index ?? 0, names: found.map((id) => byId.get(id)?.name ?? id) }
    }
  }
  return undefined
}

export const CatalogueDocumentSchema = z
  .strictObject({
    format: z.literal(CATALOGUE_FORMAT),
    version: z.literal(1),
    skills: z.array(DocumentSkill).max(1000),
  })
  .superRefine(checkReferences)
  .meta({
    id: 'CatalogueDocument',
    description:
      'A whole catalogue: skills (by name) with their prerequisites and units (in order), units with their ' +
      'activities (in order, answer keys included). No timestamps: export → import → export is byte for byte the same.',
  })

const counts = z.object({ skills: z.int(), units: z.int(), activities: z.int(), prerequisites: z.int() })
const ids = z.object({
  skills: z.array(z.guid()),
  units: z.array(z.guid()),
  activities: z.array(z.guid()),
  prerequisites: z.int().meta({ description: 'How many edges.' }),
})

export const ImportResultSchema = z
  .object({
    dryRun: z.boolean(),
    prune: z.boolean(),
    created: ids,
    updated: ids,
    unchanged: counts,
    deleted: ids.meta({
      description: 'What is (or, in a dry run, would be) deleted: only with `prune=true`.',
    }),
    kept: counts.meta({
      description:
        'What the database has and the document does not, left in place because `prune` is not set.',
    }),
    pruneDestroys: z.object({ attempts: z.int(), skillStates: z.int() }).meta({
      description: 'Learners’ attempts and skill states a prune of this document deletes (or would).',
    }),
  })
  .meta({ id: 'CatalogueImportResult' })
