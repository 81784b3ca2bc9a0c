/**
 * The question-bank formats, by name: which body types each accepts, how its files are read, and
 * how an activity is written in it. Plain values in and out; the routes speak HTTP.
 */
import type { ActivityContent } from '../content/schema.ts'
import { type Bank, BankError, type CheckedBank, checkBank } from './bank.ts'
import { readGift, writeGift } from './gift.ts'
import { readMoodleXml } from './moodle-xml-read.ts'
import { writeMoodleXml } from './moodle-xml-write.ts'
import { readQtiPackage, readQtiXml } from './qti-read.ts'
import { writeQtiPackage } from './qti-write.ts'
import { parseXml, XmlError } from './xml.ts'

export const FORMATS = ['gift', 'moodle-xml', 'qti'] as const
export type Format = (typeof FORMATS)[number]

/** The body types each format's import accepts. */
export const IMPORT_TYPES: Record<Format, string[]> = {
  gift: ['text/plain'],
  'moodle-xml': ['application/xml', 'text/xml'],
  qti: ['application/xml', 'text/xml', 'application/zip'],
}

const NAMES: Record<Format, string> = { gift: 'GIFT', 'moodle-xml': 'Moodle XML', qti: 'QTI 3.0' }
export const formatName = (format: Format) => NAMES[format]

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new BankError('the file is not UTF-8 text', 'the file')
  }
}

function xmlOf(bytes: Uint8Array) {
  const source = utf8(bytes)
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(source)?.[1]
  if (declared && !/^utf-?8$/i.test(declared))
    throw new BankError(`the file declares ${declared}; send it as UTF-8`, 'line 1')
  try {
    return parseXml(source)
  } catch (error) {
    if (error instanceof XmlError) throw new BankError(error.message, `line ${error.line}`)
    throw error
  }
}

/** Reads a file of `format` sent as `type`; a file that cannot be read throws BankError. */
export async function readBank(
  format: Format,
  type: string,
  bytes: Uint8Array,
): Promise<CheckedBank & { title?: string }> {
  let bank: Bank
  if (format === 'gift') bank = readGift(utf8(bytes))
  else if (format === 'moodle-xml') bank = readMoodleXml(xmlOf(bytes))
  else bank = type === 'application/zip' ? await readQtiPackage(bytes) : readQtiXml(xmlOf(bytes))
  return { ...checkBank(bank), ...(bank.title && { title: bank.title }) }
}

export type ExportedFile = {
  body: string | Uint8Array<ArrayBuffer>
  contentType: string
  extension: string
  skipped: { id: string; reason: string }[]
}

/** An activity's questions as a file of `format`: what the format cannot hold is named in `skipped`. */
export function writeActivity(format: Format, name: string, content: ActivityContent): ExportedFile {
  const note = `Exported by the learning-progress API from the activity “${name}”.`
  const as = (
    written: { file: string | Uint8Array<ArrayBuffer>; skipped: ExportedFile['skipped'] },
    contentType: string,
    extension: string,
  ) => ({ body: written.file, skipped: written.skipped, contentType, extension })
  switch (format) {
    case 'gift':
      return as(writeGift(name, content.questions, note), 'text/plain; charset=utf-8', 'gift.txt')
    case 'moodle-xml':
      return as(writeMoodleXml(name, content.questions, note), 'application/xml; charset=utf-8', 'moodle.xml')
    case 'qti':
      return as(writeQtiPackage(name, content.questions), 'application/zip', 'qti.zip')
  }
}
