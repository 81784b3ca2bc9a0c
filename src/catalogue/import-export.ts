/**
 * The whole catalogue, out and in (transfer.ts has the document's form and the statements). Export
 * and a dry run cost one round trip; an import two: read and compare, then one batch that writes
 * everything in one transaction, and the purge of what it made stale — two more when a prune took
 * attempts that learners' skill states were built on, which are replayed from what is left.
 */
import { batchByName } from '../db/batch.ts'
import type { Db } from '../db/client.ts'
import { retryReads } from '../db/retry.ts'
import { replayStates } from '../progress/merge/replay-states.ts'
import type { CatalogueDocument } from '../schemas/catalogue-document.ts'
import { purgeCatalogue } from './edge-cache.ts'
import {
  catalogueReads,
  compare,
  importStatements,
  pruneDestroys,
  pruneReplays,
  toDocument,
} from './transfer.ts'

/** Purging is one cache call per key; past this many, the rest expire within the TTL instead. */
const MAX_PURGED_KEYS = 500

export async function exportCatalogue(db: Db) {
  const { named } = await retryReads(() => batchByName(db, catalogueReads(db)))
  return toDocument(named)
}

export type ImportOptions = { dryRun: boolean; prune: boolean; author: string }

/**
 * Imports `incoming` all or nothing, or only says what it would do (`dryRun`): what was (or would be)
 * created, updated and deleted, and with `prune` the learners' attempts and states that go with it.
 */
export async function importCatalogue(
  db: Db,
  incoming: CatalogueDocument,
  { dryRun, prune, author }: ImportOptions,
) {
  const { named: read } = await batchByName(db, {
    ...catalogueReads(db),
    destroys: pruneDestroys(db, incoming),
    replays: pruneReplays(db, incoming),
  })
  const plan = compare(toDocument(read), incoming, prune)
  const [destroys] = read.destroys
  const counts = { attempts: destroys?.attempts ?? 0, skillStates: destroys?.skillStates ?? 0 }
  if (!dryRun) {
    await batchByName(db, importStatements(db, incoming, prune, author))
    if (prune) await replayAfterPrune(db, read.replays)
    await purgeImported(plan, incoming)
  }
  return { plan, pruneDestroys: prune || dryRun ? counts : { attempts: 0, skillStates: 0 } }
}

/**
 * The knowledge a pruned activity's attempts earned goes with them: each state they fed is replayed
 * from the attempts left (and deleted when none is). Two more round trips when a prune touched
 * learners' progress; a state that moved meanwhile is replayed again.
 */
async function replayAfterPrune(db: Db, keys: { learnerId: string; skillId: string }[]) {
  let pending = keys
  for (let pass = 0; pass < 5 && pending.length > 0; pass++)
    pending = (await replayStates(db, pending, { dropEmptied: true })).moved
}

async function purgeImported(plan: ReturnType<typeof compare>, incoming: CatalogueDocument) {
  const stale = {
    skills: [...plan.created.skills, ...plan.updated.skills, ...plan.deleted.skills],
    units: [...plan.created.units, ...plan.updated.units, ...plan.deleted.units],
    activities: [...plan.created.activities, ...plan.updated.activities, ...plan.deleted.activities],
  }
  // A moved or changed unit or activity also changes its skill's tree: every skill of the document.
  const skillsToPurge = [...new Set([...stale.skills, ...incoming.skills.map((s) => s.id)])]
  const keys = skillsToPurge.length + stale.units.length + stale.activities.length
  if (keys <= MAX_PURGED_KEYS) await purgeCatalogue({ skillList: true, ...stale, skills: skillsToPurge })
  else await purgeCatalogue({ skillList: true })
}
