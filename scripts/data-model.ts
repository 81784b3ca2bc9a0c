/**
 * `npm run docs:data-model`: the generated part of docs/data-model.md — the relationships diagram (a
 * Mermaid erDiagram) and each table's keys, checks and indexes — written from src/db/schema.ts
 * between the file's markers. test/node/data-model.test.ts fails when the file has drifted.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { is } from 'drizzle-orm'
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core'
import * as schema from '../src/db/schema.ts'
import { isMain } from './lib/main.ts'

export const DATA_MODEL_FILE = 'docs/data-model.md'
const START = '<!-- generated from src/db/schema.ts by `npm run docs:data-model`: do not edit by hand -->'
const END = '<!-- end of generated part -->'

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const tables: PgTable[] = Object.values(schema as Record<string, unknown>)
  .filter((value): value is PgTable => is(value, PgTable))
  .sort((a, b) => getTableConfig(a).name.localeCompare(getTableConfig(b).name))

/** The diagram and the constraints, as Markdown. */
export function generatedPart(): string {
  const configs = tables.map((table) => getTableConfig(table))
  const relations = configs.flatMap((config) =>
    config.foreignKeys.map((fk) => {
      const ref = fk.reference()
      const parent = getTableConfig(ref.foreignTable).name
      return `  ${parent} ||--o{ ${config.name} : "${ref.columns.map((c) => snake(c.name)).join(', ')}"`
    }),
  )
  const entities = configs.map((config) => {
    const fks = new Set(config.foreignKeys.flatMap((fk) => fk.reference().columns.map((c) => c.name)))
    const keyed = new Set(config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)))
    const columns = config.columns.map((column) => {
      const marks = [
        column.primary || keyed.has(column.name) ? 'PK' : '',
        fks.has(column.name) ? 'FK' : '',
        column.isUnique ? 'UK' : '',
      ].filter(Boolean)
      const type = column.getSQLType().replace(/\s+/g, '_').replace(/[()]/g, '')
      return `    ${type} ${snake(column.name)}${marks.length ? ` ${marks.join(', ')}` : ''}${column.notNull ? '' : ' "nullable"'}`
    })
    return [`  ${config.name} {`, ...columns, '  }'].join('\n')
  })
  const constraints = configs.map((config) => {
    const lines = [
      ...config.foreignKeys.map((fk) => {
        const ref = fk.reference()
        return `- foreign key ${ref.columns.map((c) => snake(c.name)).join(', ')} → ${getTableConfig(ref.foreignTable).name} (on delete ${fk.onDelete ?? 'no action'})`
      }),
      ...config.primaryKeys.map(
        (pk) => `- primary key ${pk.getName()} (${pk.columns.map((c) => snake(c.name)).join(', ')})`,
      ),
      ...config.uniqueConstraints.map(
        (u) => `- unique ${u.getName()} (${u.columns.map((c) => snake(c.name)).join(', ')})`,
      ),
      ...config.checks.map((check) => `- check ${check.name}`),
      ...config.indexes.map((index) => {
        const where = index.config.where ? ' (partial)' : ''
        return `- ${index.config.unique ? 'unique index' : 'index'} ${index.config.name}${where}`
      }),
    ]
    return [`### ${config.name}`, '', ...(lines.length ? lines : ['- (primary key only)'])].join('\n')
  })
  return [
    START,
    '',
    '```mermaid',
    'erDiagram',
    ...relations,
    ...entities,
    '```',
    '',
    ...constraints.flatMap((c) => [c, '']),
    END,
  ].join('\n')
}

/** The file with its generated part replaced. */
export function withGeneratedPart(text: string): string {
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  if (start < 0 || end < 0) throw new Error(`${DATA_MODEL_FILE} lost its markers`)
  return `${text.slice(0, start)}${generatedPart()}${text.slice(end + END.length)}`
}

if (isMain(import.meta.url)) {
  writeFileSync(DATA_MODEL_FILE, withGeneratedPart(readFileSync(DATA_MODEL_FILE, 'utf8')))
  console.log(`Wrote the generated part of ${DATA_MODEL_FILE}.`)
}
