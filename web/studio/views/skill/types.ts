import type { CatalogueDocument } from '../catalogue.ts'

export type DocumentSkill = CatalogueDocument['skills'][number]
export type DocumentUnit = DocumentSkill['units'][number]
