/** The whole catalogue, drafts included, with new skills, and moving a catalogue in and out. */
import type { InferResponseType } from 'hono/client'
import { action, UserError } from '../../action.ts'
import { h, plural, statusBadge } from '../../dom.ts'
import { admin, download, read } from '../api.ts'

export type CatalogueDocument = InferResponseType<typeof admin.catalogue.export.$get, 200>

/** The catalogue as authors see it: one read of the export, drafts and all. */
export const readCatalogue = () => read(admin.catalogue.export.$get())

/** A labelled text input, for the studio's small forms. */
export function field(
  label: string,
  name: string,
  attributes: Record<string, string | number | boolean> = {},
) {
  const id = `field-${name}`
  return h(
    'p',
    { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name, type: 'text', ...attributes }),
  )
}

/** The skills as cards: drawn again after an import, so what it created shows at once. */
function skillCards(catalogue: CatalogueDocument) {
  return catalogue.skills.map((skill) => {
    const activities = skill.units.reduce((sum, unit) => sum + unit.activities.length, 0)
    return h(
      'li',
      { class: 'card' },
      h('h2', {}, h('a', { href: `#/skills/${skill.id}` }, skill.name), ' ', statusBadge(skill.status)),
      h(
        'p',
        { class: 'meta' },
        `Level ${skill.level} · ${plural(skill.units.length, 'unit')} · ${plural(activities, 'activity')}`,
      ),
    )
  })
}

export async function catalogueView() {
  const catalogue = await readCatalogue()
  const skills = h('ul', { class: 'cards', 'aria-label': 'Skills' }, skillCards(catalogue))
  const form = h(
    'form',
    { class: 'inline-form', 'aria-labelledby': 'new-skill' },
    field('Name', 'name', { required: true, maxlength: 200 }),
    field('Level (1–10)', 'level', { type: 'number', min: 1, max: 10, value: 1 }),
  )
  const create = action('Create skill (draft)', async () => {
    const data = new FormData(form)
    const skill = await read(
      admin.skills.$post({
        json: { name: String(data.get('name') ?? ''), level: Number(data.get('level') ?? 1) },
      }),
    )
    location.hash = `#/skills/${skill.id}`
  })
  return {
    title: 'Catalogue',
    content: [
      h('h1', {}, 'Catalogue'),
      skills,
      h('h2', { id: 'new-skill' }, 'New skill'),
      form,
      create,
      transferSection(async () => skills.replaceChildren(...skillCards(await readCatalogue()))),
    ],
  }
}

/** What an import report counts, in words: "3 skills", "1 prerequisite", "2 skill states". */
const NOUNS: Record<string, string> = {
  skills: 'skill',
  units: 'unit',
  activities: 'activity',
  prerequisites: 'prerequisite',
  attempts: 'attempt',
  skillStates: 'skill state',
}

/**
 * Export, and import with a dry run first: the report says what would change before anything does.
 * After an import, `imported` draws the skills again.
 */
function transferSection(imported: () => Promise<unknown>) {
  const file = h('input', { id: 'import-file', type: 'file', accept: 'application/json,.json' })
  const prune = h('input', { id: 'import-prune', type: 'checkbox' })
  const report = h('div', { class: 'report', 'aria-live': 'polite' })
  const documentOf = async () => {
    const chosen = file.files?.[0]
    if (!chosen) throw new UserError('Choose a catalogue document first.')
    try {
      return JSON.parse(await chosen.text()) as CatalogueDocument
    } catch {
      throw new UserError('This file is not a JSON document.')
    }
  }
  const run = async (dryRun: boolean) => {
    const result = await read(
      admin.catalogue.import.$post({
        query: { dryRun: dryRun ? 'true' : 'false', prune: prune.checked ? 'true' : 'false' },
        json: await documentOf(),
      }),
    )
    const line = (what: string, counts: Record<string, number | string[]>) =>
      h(
        'li',
        {},
        `${what}: `,
        Object.entries(counts)
          .map(([kind, value]) => plural(Array.isArray(value) ? value.length : value, NOUNS[kind] ?? kind))
          .join(', '),
      )
    report.replaceChildren(
      h('h3', {}, dryRun ? 'This import would do' : 'Imported'),
      h(
        'ul',
        {},
        line('Created', result.created),
        line('Updated', result.updated),
        line('Unchanged', result.unchanged),
        line('Deleted', result.deleted),
        line('Kept', result.kept),
        line('Learners’ data a prune destroys', result.pruneDestroys),
      ),
    )
    if (!dryRun) await imported()
  }
  return h(
    'section',
    { 'aria-labelledby': 'transfer' },
    h('h2', { id: 'transfer' }, 'Move a catalogue'),
    action(
      'Export the catalogue',
      async () => {
        await download('/v1/admin/catalogue/export')
      },
      'secondary',
    ),
    h('p', { class: 'field' }, h('label', { for: 'import-file' }, 'Catalogue document to import'), file),
    h('p', { class: 'choice' }, h('label', {}, prune, ' Delete what the document does not have (prune)')),
    action('Check the import (dry run)', () => run(true), 'secondary'),
    action('Import, all or nothing', () => run(false)),
    report,
  )
}
