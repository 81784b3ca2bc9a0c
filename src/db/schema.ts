/**
 * The learning-platform model: a catalogue (skills → units → activities) and what anonymous learners
 * do with it (attempts, skill states). TypeScript names are camelCase; `casing: 'snake_case'` in both
 * `drizzle()` and drizzle.config.ts makes every SQL name snake_case.
 * `updated_at` is kept current by a trigger (drizzle/0001_updated_at_trigger.sql), so raw SQL updates
 * in CTEs cannot forget it.
 */
import { relations, type SQL, sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { activityType, attemptStatus, skillStateStatus } from './enums.ts'

export * from './analytics-schema.ts'
export { type ActivityType, activityType, attemptStatus, skillStateStatus } from './enums.ts'

export type Metadata = Record<string, unknown>

const id = () => uuid().primaryKey().defaultRandom()
const metadata = () => jsonb().$type<Metadata>().notNull().default({})
const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow()
const updatedAt = () => timestamp({ withTimezone: true }).notNull().defaultNow()

/** Postgres full-text search vectors: generated columns, read only by search (src/catalogue/search.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/**
 * What search matches in a row, weighted: the name (A) above the description (B) above the rest (C).
 * `english` stems words (a search for "adding" finds "addition"); never the answer keys.
 */
const searchable = (name: unknown, description: unknown, rest?: SQL) =>
  sql`setweight(to_tsvector('english', ${name}), 'A') || setweight(to_tsvector('english', coalesce(${description}, '')), 'B')${
    rest ? sql` || setweight(to_tsvector('english', coalesce(${rest}, '')), 'C')` : sql``
  }`

export const learners = pgTable(
  'learners',
  {
    id: id(),
    displayName: text(),
    metadata: metadata(),
    createdAt: createdAt(),
    /** Refreshed (at most every few minutes) by any use of any of the learner's sessions. */
    lastActiveAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // The cron's scan for anonymous learners idle past the limit.
  (t) => [index('learners_last_active_at_idx').on(t.lastActiveAt)],
)

/**
 * One row per signed-in device: a learner has as many as the devices they use. The cookie holds the
 * session id; only its SHA-256 is stored, so a leaked table yields no usable cookie.
 * @see src/session/learner.ts
 */
export const sessions = pgTable(
  'sessions',
  {
    /** The public id of the session, for the learner's device list (never the cookie's id). */
    id: id(),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    /** SHA-256 (hex) of the session id in the device's cookie. */
    tokenHash: text().notNull().unique('sessions_token_hash_unique'),
    /** A short description of the device, such as "Firefox on Linux", from its User-Agent. */
    label: text().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When the cookie was last issued: any use of the session re-issues it at most daily. */
    cookieRenewedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('sessions_learner_id_idx').on(t.learnerId),
    index('sessions_last_used_at_idx').on(t.lastUsedAt),
  ],
)

/**
 * The learner's passkeys (WebAuthn credentials): what signs them in on another device. The public
 * key is stored as a JWK, ready for Web Crypto. @see src/passkeys/
 */
export const passkeys = pgTable(
  'passkeys',
  {
    id: id(),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    /** The credential id the authenticator chose, base64url. */
    credentialId: text().notNull().unique('passkeys_credential_id_unique'),
    publicKey: jsonb().$type<JsonWebKey>().notNull(),
    /** COSE algorithm: -7 (ES256) or -257 (RS256). */
    algorithm: integer().notNull(),
    /** The authenticator's signature counter; synced passkeys report 0 forever. */
    signCount: bigint({ mode: 'number' }).notNull().default(0),
    transports: jsonb().$type<string[]>().notNull().default([]),
    /**
     * Whether the credential may be synced to other devices (the BE flag, fixed at registration): the
     * counter rule then does not apply, since each device may count on its own.
     */
    backupEligible: boolean().notNull().default(false),
    /** Whether the authenticator said the credential is backed up (synced) now (the BS flag). */
    backedUp: boolean().notNull().default(false),
    name: text().notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('passkeys_learner_id_idx').on(t.learnerId),
    check('passkeys_algorithm_supported', sql`${t.algorithm} IN (-7, -257)`),
    check('passkeys_sign_count_u32', sql`${t.signCount} BETWEEN 0 AND 4294967295`),
  ],
)

/**
 * A teacher's group of learners. Learners join with the class's code and stay anonymous to it:
 * authors see how many joined (and, in dashboards, aggregates), never who.
 */
export const classes = pgTable(
  'classes',
  {
    id: id(),
    name: text().notNull(),
    /** Eight characters without look-alikes (src/classes/join-code.ts): read aloud, typed by children. */
    joinCode: text().notNull(),
    createdBy: text(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('classes_join_code_unique').on(t.joinCode),
    check('classes_join_code_format', sql`${t.joinCode} ~ '^[A-HJ-NP-Z2-9]{8}$'`),
  ],
)

export const classMembers = pgTable(
  'class_members',
  {
    classId: uuid()
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    joinedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.classId, t.learnerId], name: 'class_members_pkey' }),
    index('class_members_learner_idx').on(t.learnerId),
  ],
)

/**
 * WebAuthn challenges already verified: a challenge is signed by the Worker (no row until then) and
 * recorded here by the write that verifies it, so it verifies once. The cron deletes expired rows.
 */
export const usedChallenges = pgTable(
  'used_challenges',
  {
    /** SHA-256 (hex) of the challenge. */
    hash: text().primaryKey(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('used_challenges_expires_at_idx').on(t.expiresAt)],
)

/**
 * LMS platforms this tool trusts (LTI 1.3): registered by an admin, or by Dynamic Registration as a
 * draft an admin approves. A launch is accepted only from a live platform, for one of its deployments.
 */
export const ltiPlatforms = pgTable(
  'lti_platforms',
  {
    id: id(),
    name: text().notNull(),
    /** The platform's `iss`, and the client id it gave this tool (the id_token's `aud`). */
    issuer: text().notNull(),
    clientId: text().notNull(),
    deploymentIds: text().array().notNull(),
    /** Where the OIDC login redirects, where access tokens come from, where its keys are published. */
    authLoginUrl: text().notNull(),
    accessTokenUrl: text().notNull(),
    jwksUrl: text().notNull(),
    /** `draft` until an admin approves a dynamically registered platform; launches need `live`. */
    status: text().notNull().default('live'),
    createdBy: text(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('lti_platforms_issuer_client_unique').on(t.issuer, t.clientId),
    check('lti_platforms_status', sql`${t.status} IN ('draft', 'live')`),
  ],
)

/**
 * A platform's user as one of our learners: (issuer, subject) is who LTI says they are, whichever
 * registration of that platform they came through. The first launch creates the learner.
 */
export const ltiUsers = pgTable(
  'lti_users',
  {
    issuer: text().notNull(),
    subject: text().notNull(),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.issuer, t.subject], name: 'lti_users_pkey' }),
    index('lti_users_learner_idx').on(t.learnerId),
  ],
)

/**
 * Where a learner's grades go on a platform (LTI AGS): one row per (learner, resource link), kept
 * fresh by each launch — what the link names, the launch's `lineitem` (or, without one, the
 * container to create it in, on the first score). `sentAt` is the newest score timestamp the
 * platform took, so the next one is sent strictly later (Moodle refuses one not later, to the second).
 */
export const ltiGradeLinks = pgTable(
  'lti_grade_links',
  {
    id: id(),
    platformId: uuid()
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    /** The platform's user id: a score's `userId`. */
    subject: text().notNull(),
    resourceLinkId: text().notNull(),
    targetKind: text().notNull(),
    targetId: uuid().notNull(),
    lineItemUrl: text(),
    lineItemsUrl: text(),
    /** The resource link's title: a created line item's label. */
    label: text().notNull(),
    sentAt: timestamp({ withTimezone: true }),
    /** When the newest score sent was scored: an older one found later is stale, never sent. */
    coveredAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('lti_grade_links_learner_link_unique').on(t.learnerId, t.platformId, t.resourceLinkId),
    index('lti_grade_links_learner_target_idx').on(t.learnerId, t.targetKind, t.targetId),
    check('lti_grade_links_target_kind', sql`${t.targetKind} IN ('activity', 'unit', 'skill')`),
    check('lti_grade_links_line_item', sql`${t.lineItemUrl} IS NOT NULL OR ${t.lineItemsUrl} IS NOT NULL`),
  ],
)

/**
 * A course on a platform (LTI context) as one of our classes: created by its first instructor launch,
 * whose roster sync (NRPS, through the queue) makes its members the class's members.
 */
export const ltiContexts = pgTable(
  'lti_contexts',
  {
    platformId: uuid()
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    contextId: text().notNull(),
    classId: uuid()
      .notNull()
      .references(() => classes.id, { onDelete: 'cascade' }),
    /** The platform's membership service for the context (NRPS), when it offers one. */
    membershipsUrl: text(),
    syncedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.platformId, t.contextId], name: 'lti_contexts_pkey' }),
    unique('lti_contexts_class_unique').on(t.classId),
  ],
)

/**
 * The grade outbox: a submit adds the scores of the learner's links it changed, in its own batch,
 * and tells the queue; the consumer sends each link's newest and deletes what it covered. A score
 * the platform never took is kept with `failedAt` and why, for the studio.
 */
export const ltiScores = pgTable(
  'lti_scores',
  {
    id: id(),
    linkId: uuid()
      .notNull()
      .references(() => ltiGradeLinks.id, { onDelete: 'cascade' }),
    /** Out of 100. */
    score: doublePrecision().notNull(),
    scoredAt: timestamp({ withTimezone: true }).notNull(),
    /** The platform's last refusal of it, in words; `failedAt` once the queue gave up. */
    lastError: text(),
    failedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('lti_scores_link_idx').on(t.linkId, t.scoredAt),
    check('lti_scores_score_range', sql`${t.score} BETWEEN 0 AND 100`),
  ],
)

export const skills = pgTable(
  'skills',
  {
    id: id(),
    name: text().notNull(),
    description: text(),
    /** Difficulty band, 1 (introductory) and up. */
    level: integer().notNull().default(1),
    metadata: metadata(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** The author (ADMIN_TOKENS name) of the last admin write; null for rows no author wrote. */
    updatedBy: text(),
    /** When it was published; null while it is a draft, which learners never see (catalogue/publication.ts). */
    publishedAt: timestamp({ withTimezone: true }),
    search: tsvector().generatedAlwaysAs(
      (): SQL => searchable(sql.identifier('name'), sql.identifier('description')),
    ),
  },
  (t) => [
    check('skills_level_positive', sql`${t.level} >= 1`),
    index('skills_search_idx').using('gin', t.search),
    index('skills_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
  ],
)

/**
 * A counter per skill, bumped by triggers (drizzle/0016) whenever the skill, one of its units or one
 * of its activities is written: structure, publication and BKT parameters decide what a submit
 * computes, so a submit token (src/progress/attempts/submit-token.ts) that names the version it was read at
 * can be checked with one comparison. A table of its own, so bumping it touches no catalogue row.
 */
export const skillCatalogueVersions = pgTable('skill_catalogue_versions', {
  skillId: uuid()
    .primaryKey()
    .references(() => skills.id, { onDelete: 'cascade' }),
  version: integer().notNull().default(1),
})

/**
 * What a skill builds on: learners are recommended a skill after its prerequisites are mastered (a
 * soft lock). Cycles are refused by the write that adds an edge (src/catalogue/prerequisites.ts).
 */
export const skillPrerequisites = pgTable(
  'skill_prerequisites',
  {
    skillId: uuid()
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    requiredSkillId: uuid()
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.skillId, t.requiredSkillId], name: 'skill_prerequisites_pkey' }),
    index('skill_prerequisites_required_idx').on(t.requiredSkillId),
    check('skill_prerequisites_not_itself', sql`${t.skillId} <> ${t.requiredSkillId}`),
  ],
)

export const units = pgTable(
  'units',
  {
    id: id(),
    skillId: uuid()
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    order: integer().notNull().default(0),
    metadata: metadata(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** The author (ADMIN_TOKENS name) of the last admin write; null for rows no author wrote. */
    updatedBy: text(),
    search: tsvector().generatedAlwaysAs(
      (): SQL => searchable(sql.identifier('name'), sql.identifier('description')),
    ),
  },
  (t) => [
    index('units_skill_id_idx').on(t.skillId),
    index('units_search_idx').using('gin', t.search),
    index('units_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
  ],
)

export const activities = pgTable(
  'activities',
  {
    id: id(),
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    type: activityType().notNull().default('practice'),
    order: integer().notNull().default(0),
    /** Questions with their answer keys; see src/content/schema.ts for the format. */
    content: jsonb().$type<unknown>().notNull(),
    /**
     * The version of `content`: a trigger moves it on every change of content and keeps each version
     * in `activity_versions` (drizzle/0009), so attempts are graded against the version they started on.
     */
    contentVersion: integer().notNull().default(1),
    metadata: metadata(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** The author (ADMIN_TOKENS name) of the last admin write; null for rows no author wrote. */
    updatedBy: text(),
    /** When it was published; null while it is a draft, which learners never see (catalogue/publication.ts). */
    publishedAt: timestamp({ withTimezone: true }),
    search: tsvector().generatedAlwaysAs(
      (): SQL =>
        searchable(
          sql.identifier('name'),
          sql.identifier('description'),
          sql`${sql.identifier('content')}->>'instructions'`,
        ),
    ),
  },
  (t) => [
    // A unit's activities in order (the catalogue's trees, up next's first activity per unit).
    index('activities_unit_order_idx').on(t.unitId, t.order, t.id),
    index('activities_search_idx').using('gin', t.search),
    index('activities_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
  ],
)

/** Every version an activity's content has had, immutable: what attempts are graded against. */
export const activityVersions = pgTable(
  'activity_versions',
  {
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    content: jsonb().$type<unknown>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.version], name: 'activity_versions_pkey' })],
)

export const attempts = pgTable(
  'attempts',
  {
    id: id(),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    activityId: uuid()
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    status: attemptStatus().notNull().default('in_progress'),
    /** The version of the activity's content this attempt was started on, and is graded against. */
    contentVersion: integer().notNull().default(1),
    /**
     * The attempt's own questions, drawn and ordered at start (`content.draw`, `content.shuffle`):
     * `[{ id, choices? }]`, choice ids in the order shown.
     */
    questions: jsonb().$type<DrawnQuestion[]>().notNull().default([]),
    /**
     * What parameterised questions draw their instances from (content/bindings.ts): the
     * learner's seed for the activity (their first attempt's), and the ordinal — how many attempts of
     * theirs on it had completed when it started. Null on attempts older than parameterised questions.
     */
    seed: integer(),
    ordinal: integer(),
    /** The values each parameterised question was bound to, stored at submit: never drawn again. */
    bindings: jsonb().$type<unknown>(),
    score: integer(),
    maxScore: integer(),
    /** Decided when the attempt is graded, against its own version's passing score. */
    passed: boolean(),
    response: jsonb().$type<unknown>(),
    feedback: jsonb().$type<unknown>(),
    metadata: metadata(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // A learner's attempts, newest first (history pages), and what they did per activity (submit):
    // both lead with learner_id, so they also serve every lookup by learner (see bench/results).
    index('attempts_learner_started_idx').on(
      t.learnerId,
      t.startedAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index('attempts_learner_activity_idx').on(t.learnerId, t.activityId, t.status),
    index('attempts_activity_id_idx').on(t.activityId),
    // An activity's completed attempts in the order they completed: the researchers' CSV pages by it.
    index('attempts_activity_completed_idx')
      .on(t.activityId, t.completedAt, t.id)
      .where(sql`${t.status} = 'completed'`),
    // One open attempt per learner and activity (starting again returns it), and the cron's scan
    // for attempts left open too long.
    uniqueIndex('attempts_one_open_per_activity')
      .on(t.learnerId, t.activityId)
      .where(sql`${t.status} = 'in_progress'`),
    index('attempts_open_started_idx').on(t.startedAt).where(sql`${t.status} = 'in_progress'`),
    check('attempts_max_score_non_negative', sql`${t.maxScore} >= 0`),
    check('attempts_score_within_max', sql`${t.score} >= 0 AND ${t.score} <= ${t.maxScore}`),
    check(
      'attempts_completed_is_graded',
      sql`${t.status} <> 'completed' OR (${t.completedAt} IS NOT NULL AND ${t.score} IS NOT NULL AND ${t.passed} IS NOT NULL)`,
    ),
    check('attempts_completed_after_start', sql`${t.completedAt} >= ${t.startedAt}`),
  ],
)

export const skillStates = pgTable(
  'skill_states',
  {
    id: id(),
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    skillId: uuid()
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    status: skillStateStatus().notNull().default('not_started'),
    /** Share of the skill's activities completed at or above their passing score, in [0, 1]. */
    progress: doublePrecision().notNull().default(0),
    /**
     * The mean of the units' P(L) when this state was written (units never practised at the prior);
     * reads recompute it over the skill's current units (src/mastery/knowledge.ts).
     */
    masteryScore: doublePrecision().notNull().default(0),
    /** Bayesian Knowledge Tracing P(L) per unit practised: `{ unitId: P(L) }`; see src/mastery/bkt.ts. */
    unitKnowledge: jsonb().$type<Record<string, number>>().notNull().default({}),
    /** Incremented by every write: submits check it (optimistic concurrency, src/progress/attempts/submit.ts). */
    version: integer().notNull().default(0),
    // The FSRS review card (ts-fsrs), once the skill has been mastered; null before.
    due: timestamp({ withTimezone: true }),
    stability: doublePrecision(),
    difficulty: doublePrecision(),
    /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
    cardState: smallint(),
    scheduledDays: integer(),
    learningSteps: integer(),
    reps: integer().notNull().default(0),
    lapses: integer().notNull().default(0),
    lastReview: timestamp({ withTimezone: true }),
    metadata: metadata(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('skill_states_learner_skill_unique').on(t.learnerId, t.skillId),
    index('skill_states_status_idx').on(t.status),
    // The cron's "mastered and due" scan, and nothing else, lives in this small partial index.
    index('skill_states_mastered_due_idx').on(t.due).where(sql`${t.status} = 'mastered'`),
    check('skill_states_progress_ratio', sql`${t.progress} BETWEEN 0 AND 1`),
    check('skill_states_mastery_ratio', sql`${t.masteryScore} BETWEEN 0 AND 1`),
    check('skill_states_card_state', sql`${t.cardState} BETWEEN 0 AND 3`),
    check(
      'skill_states_mastered_has_due',
      sql`${t.status} NOT IN ('mastered', 'review_needed') OR ${t.due} IS NOT NULL`,
    ),
  ],
)

/**
 * Idempotency-Key records of progress POSTs, per learner: the claim and the stored response, written
 * in the same transaction as the operation itself. Kept 24 hours (the cron deletes older ones).
 * @see src/progress/write/idempotency.ts
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    learnerId: uuid()
      .notNull()
      .references(() => learners.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    /** SHA-256 of method, path and body: the same key with another request is a 422. */
    fingerprint: text().notNull(),
    /** The request that claimed the key: the one that runs the operation. */
    requestId: uuid().notNull(),
    responseStatus: smallint(),
    /** The rows the operation returned, as committed (replays present them again). */
    response: jsonb().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.key], name: 'idempotency_keys_pkey' }),
    index('idempotency_keys_created_at_idx').on(t.createdAt),
    check('idempotency_keys_key_length', sql`char_length(${t.key}) BETWEEN 1 AND 255`),
  ],
)

export const learnersRelations = relations(learners, ({ many }) => ({
  sessions: many(sessions),
  passkeys: many(passkeys),
  attempts: many(attempts),
  skillStates: many(skillStates),
}))

export const sessionsRelations = relations(sessions, ({ one }) => ({
  learner: one(learners, { fields: [sessions.learnerId], references: [learners.id] }),
}))

export const passkeysRelations = relations(passkeys, ({ one }) => ({
  learner: one(learners, { fields: [passkeys.learnerId], references: [learners.id] }),
}))

export const skillsRelations = relations(skills, ({ many }) => ({
  units: many(units),
  skillStates: many(skillStates),
}))

export const unitsRelations = relations(units, ({ one, many }) => ({
  skill: one(skills, { fields: [units.skillId], references: [skills.id] }),
  activities: many(activities),
}))

export const activitiesRelations = relations(activities, ({ one, many }) => ({
  unit: one(units, { fields: [activities.unitId], references: [units.id] }),
  attempts: many(attempts),
}))

export const attemptsRelations = relations(attempts, ({ one }) => ({
  learner: one(learners, { fields: [attempts.learnerId], references: [learners.id] }),
  activity: one(activities, { fields: [attempts.activityId], references: [activities.id] }),
}))

export const skillStatesRelations = relations(skillStates, ({ one }) => ({
  learner: one(learners, { fields: [skillStates.learnerId], references: [learners.id] }),
  skill: one(skills, { fields: [skillStates.skillId], references: [skills.id] }),
}))

/** A question of an attempt, as drawn at its start: its id, and its choices' ids in the order shown. */
export type DrawnQuestion = { id: string; choices?: string[] }

export type Learner = typeof learners.$inferSelect
export type LtiPlatform = typeof ltiPlatforms.$inferSelect
export type Session = typeof sessions.$inferSelect
export type Passkey = typeof passkeys.$inferSelect
export type Skill = typeof skills.$inferSelect
export type NewSkill = typeof skills.$inferInsert
export type Unit = typeof units.$inferSelect
export type NewUnit = typeof units.$inferInsert
export type Activity = typeof activities.$inferSelect
export type NewActivity = typeof activities.$inferInsert
export type Attempt = typeof attempts.$inferSelect
export type SkillState = typeof skillStates.$inferSelect
export type IdempotencyKey = typeof idempotencyKeys.$inferSelect
