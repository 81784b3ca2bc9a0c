/**
 * Migrations that move data keep it: each test migrates a fresh PGlite database up to just before
 * the migration, writes rows as the older schema had them, applies the rest, and reads them back.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connect } from '../../scripts/lib/database.ts'
import { migrate } from '../../scripts/lib/migrate.ts'
import { createBackend, startLocalNeon } from '../../scripts/local-neon/index.ts'
import { bktUpdate, DEFAULT_BKT } from '../../src/mastery/bkt.ts'

type Journal = { entries: { tag: string }[] }

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** drizzle/ cut before `tag`: the committed migrations as they were before it existed. */
function migrationsBefore(tag: string) {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cpSync('drizzle', dir, { recursive: true })
  const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as Journal
  const index = journal.entries.findIndex((entry) => entry.tag === tag)
  expect(index, `no migration ${tag}`).toBeGreaterThan(0)
  const before = { ...journal, entries: journal.entries.slice(0, index) }
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(before))
  return dir
}

async function database() {
  const server = await startLocalNeon({ backend: await createBackend({}) })
  cleanups.push(() => server.close())
  return connect({
    DATABASE_URL: 'postgres://test:test@db.localtest.me/test',
    NEON_LOCAL_ENDPOINT: server.sqlEndpoint,
  })
}

describe('0008_sessions_and_passkeys', () => {
  it('carries every learner’s session over as their first device, with its hash and times', async () => {
    const connection = await database()
    const { sql } = connection
    await migrate(connection, migrationsBefore('0008_sessions_and_passkeys'))
    await sql.query(`
      INSERT INTO learners (id, session_id, created_at, last_active_at, cookie_renewed_at) VALUES
        ('00000000-0000-4000-8000-000000000001', '${'a'.repeat(64)}', '2026-01-01Z', '2026-03-01Z', '2026-02-27Z'),
        ('00000000-0000-4000-8000-000000000002', '${'b'.repeat(64)}', '2026-01-02Z', '2026-01-05Z', '2026-01-05Z')`)

    expect(await migrate(connection)).toBeGreaterThan(0)

    const rows = await sql.query(`
      SELECT learner_id, token_hash, label, created_at, last_used_at, cookie_renewed_at
      FROM sessions ORDER BY learner_id`)
    expect(rows).toEqual([
      {
        learner_id: '00000000-0000-4000-8000-000000000001',
        token_hash: 'a'.repeat(64),
        label: 'Unknown browser',
        created_at: '2026-01-01 00:00:00+00',
        last_used_at: '2026-03-01 00:00:00+00',
        cookie_renewed_at: '2026-02-27 00:00:00+00',
      },
      {
        learner_id: '00000000-0000-4000-8000-000000000002',
        token_hash: 'b'.repeat(64),
        label: 'Unknown browser',
        created_at: '2026-01-02 00:00:00+00',
        last_used_at: '2026-01-05 00:00:00+00',
        cookie_renewed_at: '2026-01-05 00:00:00+00',
      },
    ])
    const columns = await sql.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'learners' ORDER BY column_name`,
    )
    expect(columns.map((row) => row.column_name)).toEqual([
      'created_at',
      'display_name',
      'id',
      'last_active_at',
      'metadata',
    ])
  })
})

describe('0009_knowledge_versions_prerequisites_search', () => {
  it('replays every skill state through the per-unit model, crediting no answer already shown', async () => {
    const connection = await database()
    const { sql } = connection
    await migrate(connection, migrationsBefore('0009_knowledge_versions_prerequisites_search'))
    const ids = {
      skill: '00000000-0000-4000-8000-000000000001',
      unitA: '00000000-0000-4000-8000-0000000000a1',
      unitB: '00000000-0000-4000-8000-0000000000b1',
      activity: '00000000-0000-4000-8000-000000000a01',
      learner: '00000000-0000-4000-8000-00000000000e',
      empty: '00000000-0000-4000-8000-0000000000e1',
      retake: '00000000-0000-4000-8000-0000000000e2',
    }
    const content = {
      passingScore: 0.7,
      questions: [
        { id: 'q1', kind: 'numeric', prompt: '1?', answer: 1, points: 1, tolerance: 0 },
        { id: 'q2', kind: 'numeric', prompt: '2?', answer: 2, points: 1, tolerance: 0 },
      ],
    }
    const feedback = (correct: boolean) =>
      JSON.stringify(
        [1, 2].map((n) => ({
          questionId: `q${n}`,
          correct,
          answered: correct,
          pointsAwarded: correct ? 1 : 0,
          points: 1,
          expected: n,
        })),
      )
    // The old model: an empty submit showed the keys, the retake with them "mastered" the skill.
    for (const statement of [
      `INSERT INTO skills (id, name) VALUES ('${ids.skill}', 'Skill')`,
      `INSERT INTO units (id, skill_id, name, "order") VALUES ('${ids.unitA}', '${ids.skill}', 'A', 1), ('${ids.unitB}', '${ids.skill}', 'B', 2)`,
      `INSERT INTO activities (id, unit_id, name, type, content) VALUES
                ('${ids.activity}', '${ids.unitA}', 'Practice', 'practice', '${JSON.stringify(content)}'),
                ('00000000-0000-4000-8000-000000000b01', '${ids.unitB}', 'Other', 'practice', '${JSON.stringify(content)}')`,
      `INSERT INTO learners (id) VALUES ('${ids.learner}')`,
      `INSERT INTO attempts (id, learner_id, activity_id, status, score, max_score, response, feedback, started_at, completed_at) VALUES
                ('${ids.empty}', '${ids.learner}', '${ids.activity}', 'completed', 0, 2, '{"answers":{}}', '${feedback(false)}', '2026-01-01T10:00Z', '2026-01-01T10:01Z'),
                ('${ids.retake}', '${ids.learner}', '${ids.activity}', 'completed', 2, 2, '{"answers":{"q1":1,"q2":2}}', '${feedback(true)}', '2026-01-01T10:02Z', '2026-01-01T10:03Z')`,
      `INSERT INTO skill_states (learner_id, skill_id, status, progress, mastery_score, version, due, card_state)
                VALUES ('${ids.learner}', '${ids.skill}', 'mastered', 0.5, 0.98, 2, '2026-02-01Z', 2)`,
    ])
      await sql.query(statement)

    await migrate(connection)

    const pA = bktUpdate(
      DEFAULT_BKT.pInit,
      [false, false].map((correct) => ({ correct, pGuess: DEFAULT_BKT.pGuess })),
      DEFAULT_BKT,
    )
    const [state] = await sql.query(
      `SELECT status, mastery_score, unit_knowledge, progress, version FROM skill_states`,
    )
    // Replayed twice: by 0009's data migration, then by 0017's (the credit window): version 2 + 2.
    expect(state).toMatchObject({ status: 'in_progress', progress: 0.5, version: 4 })
    expect(Object.keys(state?.unit_knowledge ?? {})).toEqual([ids.unitA])
    expect(state?.unit_knowledge[ids.unitA]).toBeCloseTo(pA, 12)
    expect(state?.mastery_score).toBeCloseTo((pA + DEFAULT_BKT.pInit) / 2, 12)

    const attemptsAfter = await sql.query(
      `SELECT id, content_version, passed, questions, feedback FROM attempts ORDER BY started_at`,
    )
    expect(attemptsAfter.map((row) => [row.content_version, row.passed, row.questions])).toEqual([
      [1, false, [{ id: 'q1' }, { id: 'q2' }]],
      [1, true, [{ id: 'q1' }, { id: 'q2' }]],
    ])
    // The retake's answers had been shown by the empty submit: not evidence.
    expect(attemptsAfter.map((row) => row.feedback.map((f: { credited: boolean }) => f.credited))).toEqual([
      [true, true],
      [false, false],
    ])
    const [recorded] = await sql.query(`SELECT name FROM drizzle.__data_migrations`)
    expect(recorded?.name).toBe('replay_skill_states_per_unit')
    // Running the migrations again replays nothing.
    await migrate(connection)
    expect((await sql.query(`SELECT version FROM skill_states`))[0]?.version).toBe(4)
  })
})

describe('0014_drafts', () => {
  it('publishes what learners could see before, without touching updated_at; new rows are drafts', async () => {
    const connection = await database()
    const { sql } = connection
    await migrate(connection, migrationsBefore('0014_drafts'))
    await sql.query(`
      INSERT INTO skills (id, name, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Old', '2026-01-01Z')`)
    await sql.query(`
      INSERT INTO units (id, skill_id, name) VALUES
        ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'Unit')`)
    await sql.query(`
      INSERT INTO activities (id, unit_id, name, content, updated_at) VALUES
        ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'Old',
          '{"questions": [{"id": "q", "kind": "numeric", "prompt": "1?", "answer": 1, "points": 1, "tolerance": 0}], "passingScore": 0.7}',
          '2026-01-01Z')`)

    expect(await migrate(connection)).toBeGreaterThan(0)

    const old = await sql.query(`
      SELECT published_at IS NOT NULL AS published, updated_at FROM skills
      UNION ALL SELECT published_at IS NOT NULL, updated_at FROM activities`)
    expect(old).toEqual([
      { published: true, updated_at: '2026-01-01 00:00:00+00' },
      { published: true, updated_at: '2026-01-01 00:00:00+00' },
    ])
    const [fresh] = await sql.query(`INSERT INTO skills (name) VALUES ('New') RETURNING published_at`)
    expect(fresh).toEqual({ published_at: null })
  })
})
