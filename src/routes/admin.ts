/**
 * Catalogue writes for authors, behind `Authorization: Bearer <token>` (ADMIN_TOKENS, several
 * during a rotation, compared in constant time by Hono's bearerAuth). One round trip per request:
 * every write is a single statement with RETURNING, and a missing row is a 404.
 * A unit or activity pointing at a parent that does not exist is a 422 (foreign key violation).
 */
import { createRoute } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { createMiddleware } from 'hono/factory'
import { activities, skills, units } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { jsonBody, jsonResponse, problemResponses } from '../openapi.ts'
import { createRouter } from '../router.ts'
import {
  CreateActivitySchema,
  CreateSkillSchema,
  CreateUnitSchema,
  UpdateActivitySchema,
  UpdateSkillSchema,
  UpdateUnitSchema,
} from '../schemas/admin.ts'
import {
  AdminActivitySchema,
  presentAdminActivity,
  presentSkill,
  presentUnit,
  SkillSchema,
  UnitSchema,
} from '../schemas/catalogue.ts'
import { uuidParam } from '../schemas/common.ts'
import type { AppEnv } from '../types.ts'

const MIN_TOKEN_LENGTH = 16

/** Fails closed: without usable ADMIN_TOKENS the admin API is a 500 "misconfigured", never open. */
const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const tokens = (c.env.ADMIN_TOKENS ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean)
  if (tokens.length === 0 || tokens.some((token) => token.length < MIN_TOKEN_LENGTH)) {
    throw new ApiError('misconfigured', 'The admin API is unavailable: ADMIN_TOKENS is missing or too short.')
  }
  // bearerAuth is typed for Hono's default Env; it reads only the Authorization header.
  return bearerAuth({ token: tokens, realm: 'admin' })(c as unknown as Context, next)
})

const app = createRouter()
app.use('/v1/admin/*', adminAuth)

const NO_STORE = { 'Cache-Control': 'no-store' }
const deleted = { 204: { description: 'Deleted, with everything under it' } }
const failures = problemResponses(400, 401, 404, 413, 415, 422)

function found<T>(rows: T[], what: string): T {
  const [row] = rows
  if (!row) throw new ApiError('not_found', `No ${what} with this id.`)
  return row
}

const route = <M extends 'get' | 'post' | 'patch' | 'delete', P extends string>(
  method: M,
  path: P,
  tag: string,
  summary: string,
) => ({ method, path, tags: [`Admin: ${tag}`], summary, security: [{ adminToken: [] as string[] }] })

export const admin = app
  .openapi(
    createRoute({
      ...route('post', '/v1/admin/skills', 'skills', 'Create a skill'),
      request: jsonBody(CreateSkillSchema),
      responses: { 201: jsonResponse(SkillSchema, 'Created'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db.insert(skills).values(c.req.valid('json')).returning()
      return c.json(presentSkill(found(rows, 'skill')), 201, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('patch', '/v1/admin/skills/{skillId}', 'skills', 'Update a skill'),
      request: { params: uuidParam('skillId'), ...jsonBody(UpdateSkillSchema) },
      responses: { 200: jsonResponse(SkillSchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db
        .update(skills)
        .set(c.req.valid('json'))
        .where(eq(skills.id, c.req.valid('param').skillId))
        .returning()
      return c.json(presentSkill(found(rows, 'skill')), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route(
        'delete',
        '/v1/admin/skills/{skillId}',
        'skills',
        'Delete a skill, its units, activities and all progress on them',
      ),
      request: { params: uuidParam('skillId') },
      responses: { ...deleted, ...failures },
    }),
    async (c) => {
      found(
        await c.var.db
          .delete(skills)
          .where(eq(skills.id, c.req.valid('param').skillId))
          .returning({ id: skills.id }),
        'skill',
      )
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      ...route('post', '/v1/admin/units', 'units', 'Create a unit in a skill'),
      request: jsonBody(CreateUnitSchema),
      responses: { 201: jsonResponse(UnitSchema, 'Created'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db.insert(units).values(c.req.valid('json')).returning()
      return c.json(presentUnit(found(rows, 'unit')), 201, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('patch', '/v1/admin/units/{unitId}', 'units', 'Update or move a unit'),
      request: { params: uuidParam('unitId'), ...jsonBody(UpdateUnitSchema) },
      responses: { 200: jsonResponse(UnitSchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db
        .update(units)
        .set(c.req.valid('json'))
        .where(eq(units.id, c.req.valid('param').unitId))
        .returning()
      return c.json(presentUnit(found(rows, 'unit')), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('delete', '/v1/admin/units/{unitId}', 'units', 'Delete a unit and its activities'),
      request: { params: uuidParam('unitId') },
      responses: { ...deleted, ...failures },
    }),
    async (c) => {
      found(
        await c.var.db
          .delete(units)
          .where(eq(units.id, c.req.valid('param').unitId))
          .returning({ id: units.id }),
        'unit',
      )
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      ...route(
        'post',
        '/v1/admin/activities',
        'activities',
        'Create an activity (content validated per question kind)',
      ),
      request: jsonBody(CreateActivitySchema),
      responses: { 201: jsonResponse(AdminActivitySchema, 'Created'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db.insert(activities).values(c.req.valid('json')).returning()
      return c.json(presentAdminActivity(found(rows, 'activity')), 201, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('get', '/v1/admin/activities/{activityId}', 'activities', 'An activity with its answer keys'),
      request: { params: uuidParam('activityId') },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db
        .select()
        .from(activities)
        .where(eq(activities.id, c.req.valid('param').activityId))
      return c.json(presentAdminActivity(found(rows, 'activity')), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route('patch', '/v1/admin/activities/{activityId}', 'activities', 'Update or move an activity'),
      request: { params: uuidParam('activityId'), ...jsonBody(UpdateActivitySchema) },
      responses: { 200: jsonResponse(AdminActivitySchema, 'The resource'), ...failures },
    }),
    async (c) => {
      const rows = await c.var.db
        .update(activities)
        .set(c.req.valid('json'))
        .where(eq(activities.id, c.req.valid('param').activityId))
        .returning()
      return c.json(presentAdminActivity(found(rows, 'activity')), 200, NO_STORE)
    },
  )
  .openapi(
    createRoute({
      ...route(
        'delete',
        '/v1/admin/activities/{activityId}',
        'activities',
        'Delete an activity and its attempts',
      ),
      request: { params: uuidParam('activityId') },
      responses: { ...deleted, ...failures },
    }),
    async (c) => {
      found(
        await c.var.db
          .delete(activities)
          .where(eq(activities.id, c.req.valid('param').activityId))
          .returning({ id: activities.id }),
        'activity',
      )
      return c.body(null, 204)
    },
  )
