/**
 * Zip archives (QTI content packages), read and written, with what Workers have: DataView and the
 * DecompressionStream of `deflate-raw`. Reading is capped before anything is inflated: at most
 * MAX_ENTRIES entries, MAX_TOTAL bytes inflated in all, and no entry inflating more than MAX_RATIO
 * times its compressed size (a zip bomb's signature). The declared sizes are not trusted: inflating
 * stops at the declared size. Encrypted and ZIP64 archives are refused. Writing stores entries
 * uncompressed with a fixed date, so the same files give the same bytes.
 */
export class ZipError extends Error {}

const ZIP_LIMITS = { entries: 1000, totalBytes: 20 * 1024 * 1024, ratio: 100 }

type Entry = { name: string; method: number; compressed: number; size: number; offset: number }

const SIGNATURE = { end: 0x06054b50, central: 0x02014b50, local: 0x04034b50 }

function endOfCentralDirectory(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === SIGNATURE.end) return at
  }
  throw new ZipError('not a zip archive (no central directory)')
}

function entriesOf(bytes: Uint8Array): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const end = endOfCentralDirectory(view)
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  if (count === 0xffff || at === 0xffffffff) throw new ZipError('ZIP64 archives are not read')
  if (count > ZIP_LIMITS.entries) throw new ZipError(`more than ${ZIP_LIMITS.entries} entries`)
  const decoder = new TextDecoder()
  const entries: Entry[] = []
  let total = 0
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== SIGNATURE.central)
      throw new ZipError('a damaged central directory')
    const flags = view.getUint16(at + 8, true)
    if (flags & 1) throw new ZipError('encrypted entries are not read')
    const entry: Entry = {
      method: view.getUint16(at + 10, true),
      compressed: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + view.getUint16(at + 28, true))),
      offset: view.getUint32(at + 42, true),
    }
    total += entry.size
    if (total > ZIP_LIMITS.totalBytes)
      throw new ZipError(`more than ${ZIP_LIMITS.totalBytes / 1024 / 1024} MiB once inflated`)
    if (entry.size > Math.max(entry.compressed, 1) * ZIP_LIMITS.ratio)
      throw new ZipError(`${entry.name} inflates more than ${ZIP_LIMITS.ratio} times`)
    entries.push(entry)
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return entries
}

async function inflate(data: Uint8Array, size: number, name: string): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'))
  const out = new Uint8Array(size)
  let length = 0
  try {
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      if (length + chunk.length > size) throw new ZipError(`${name} inflates beyond its declared size`)
      out.set(chunk, length)
      length += chunk.length
    }
  } catch (error) {
    throw error instanceof ZipError ? error : new ZipError(`${name} cannot be inflated`)
  }
  return out.subarray(0, length)
}

export type ZipReader = { names: string[]; read: (name: string) => Promise<Uint8Array | undefined> }

/** Opens an archive: its entry names, and a reader of one entry's bytes (undefined when absent). */
export function openZip(bytes: Uint8Array): ZipReader {
  const entries = entriesOf(bytes)
  const byName = new Map(entries.map((e) => [e.name, e]))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    names: entries.map((e) => e.name),
    async read(name) {
      const entry = byName.get(name)
      if (!entry) return undefined
      if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== SIGNATURE.local)
        throw new ZipError(`${name} has a damaged header`)
      const start =
        entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true)
      const data = bytes.subarray(start, start + entry.compressed)
      if (entry.method === 0) return data.subarray(0, entry.size)
      if (entry.method === 8) return inflate(data, entry.size, name)
      throw new ZipError(`${name} is compressed with method ${entry.method} (only deflate is read)`)
    },
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** 1980-01-01 00:00 in DOS form: a fixed date keeps the archive's bytes stable. */
const DOS_DATE = (1 << 5) | 1

/** A zip of `files` stored uncompressed, in the order given. */
export function writeZip(files: { name: string; text: string }[]): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder()
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const file of files) {
    const name = encoder.encode(file.name)
    const data = encoder.encode(file.text)
    const crc = crc32(data)
    const header = (size: number, signature: number) => {
      const bytes = new Uint8Array(size)
      const view = new DataView(bytes.buffer)
      view.setUint32(0, signature, true)
      return { bytes, view }
    }
    const local = header(30 + name.length, SIGNATURE.local)
    local.view.setUint16(4, 20, true)
    local.view.setUint16(6, 0x0800, true) // names are UTF-8
    local.view.setUint16(12, DOS_DATE, true)
    local.view.setUint32(14, crc, true)
    local.view.setUint32(18, data.length, true)
    local.view.setUint32(22, data.length, true)
    local.view.setUint16(26, name.length, true)
    local.bytes.set(name, 30)
    const central = header(46 + name.length, SIGNATURE.central)
    central.view.setUint16(4, 20, true)
    central.view.setUint16(6, 20, true)
    central.view.setUint16(8, 0x0800, true)
    central.view.setUint16(14, DOS_DATE, true)
    central.view.setUint32(16, crc, true)
    central.view.setUint32(20, data.length, true)
    central.view.setUint32(24, data.length, true)
    central.view.setUint16(28, name.length, true)
    central.view.setUint32(42, offset, true)
    central.bytes.set(name, 46)
    locals.push(local.bytes, data)
    centrals.push(central.bytes)
    offset += local.bytes.length + data.length
  }
  const centralSize = centrals.reduce((sum, c) => sum + c.length, 0)
  const end = new Uint8Array(22)
  const view = new DataView(end.buffer)
  view.setUint32(0, SIGNATURE.end, true)
  view.setUint16(8, files.length, true)
  view.setUint16(10, files.length, true)
  view.setUint32(12, centralSize, true)
  view.setUint32(16, offset, true)
  const parts = [...locals, ...centrals, end]
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
