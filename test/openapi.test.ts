import { describe, expect, it } from 'vitest'
import committed from '../public/openapi.json'
import { seedActivities } from '../scripts/seed.ts'
import { isParameterised } from '../src/content/parameterised.ts'
import { activityContent } from '../src/content/schema.ts'
import { type AnswerValue, grade, invalidAnswers } from '../src/grading/grade.ts'
import { openApiDocument, operationIdOf } from '../src/openapi-document.ts'
import { api } from './helpers.ts'

type Operation = { responses: Record<string, unknown>; summary?: string }
type Document = {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: { schemas: object }
}

describe('the OpenAPI document (public/openapi.json, served as a static asset)', () => {
  it('is what the route definitions generate: run `npm run openapi` after changing a route', () => {
    expect(committed, 'public/openapi.json is stale: run `npm run openapi`').toEqual(
      JSON.parse(JSON.stringify(openApiDocument())),
    )
  })

  it('names every operation (stable camelCase ids), declares every tag, its servers and its licence', () => {
    const doc = committed as unknown as {
      paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>>
      tags: { name: string; description?: string }[]
      servers?: { url: string }[]
      info: { license?: { name: string } }
    }
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method, path, op })),
    )
    const ids = operations.map(({ op }) => op.operationId ?? '')
    // Every operation says what credential it takes, public ones included (`security: []`), and
    // what it does (linters read a missing description, or a missing security, as an oversight).
    for (const { method, path, op } of operations) {
      const said = op as { security?: unknown; description?: string }
      expect(said.security, `${method} ${path}`).toBeDefined()
      expect(said.description, `${method} ${path}`).toMatch(/\w/)
    }
    expect(ids.every((id) => /^[a-z]+(?:[A-Z][a-z0-9]*)*$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    expect(operationIdOf('get', '/v1/me/attempts/{attemptId}')).toBe('getMeAttemptsByAttemptId')
    const declared = new Map(doc.tags.map((tag) => [tag.name, tag.description ?? '']))
    for (const { op } of operations)
      for (const tag of op.tags ?? []) expect(declared.get(tag), tag).toMatch(/\w/)
    expect(doc.servers?.length).toBeGreaterThan(0)
    expect(doc.info.license?.name).toBe('MIT')
  })

  it('documents every route in OpenAPI 3.1, each with a summary and its error responses', () => {
    const doc = committed as unknown as Document
    expect(doc.openapi).toBe('3.1.0')
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    )
    expect(operations.map((o) => o.route).sort()).toEqual(
      [
        'GET /health',
        'GET /health/db',
        'GET /v1/skills',
        'GET /v1/skills/{skillId}',
        'GET /v1/units/{unitId}',
        'GET /v1/activities/{activityId}',
        'GET /v1/search',
        'POST /v1/session',
        'DELETE /v1/session',
        'GET /v1/me',
        'GET /v1/me/activities/{activityId}/credit',
        'PATCH /v1/me',
        'DELETE /v1/me',
        'GET /v1/me/export',
        'GET /v1/me/merge',
        'POST /v1/me/merge',
        'GET /v1/me/sessions',
        'DELETE /v1/me/sessions',
        'DELETE /v1/me/sessions/{sessionId}',
        'POST /v1/me/passkeys/options',
        'POST /v1/me/passkeys',
        'GET /v1/me/passkeys',
        'PATCH /v1/me/passkeys/{passkeyId}',
        'DELETE /v1/me/passkeys/{passkeyId}',
        'POST /v1/session/passkey/options',
        'POST /v1/session/passkey',
        'GET /v1/me/skills',
        'GET /v1/me/skills/{skillId}',
        'POST /v1/activities/{activityId}/attempts',
        'POST /v1/attempts/{attemptId}/submit',
        'POST /v1/attempts/{attemptId}/abandon',
        'GET /v1/me/attempts',
        'GET /v1/me/attempts/{attemptId}',
        'GET /v1/me/review',
        'GET /v1/me/next',
        'POST /v1/me/classes',
        'GET /v1/me/classes',
        'DELETE /v1/me/classes/{classId}',
        'POST /v1/admin/classes',
        'GET /v1/admin/classes',
        'DELETE /v1/admin/classes/{classId}',
        'GET /v1/admin/activities/{activityId}/stats',
        'GET /v1/admin/activities/{activityId}/attempts.csv',
        'GET /v1/admin/activities/{activityId}/analytics',
        'GET /v1/admin/skills/{skillId}/analytics',
        'POST /v1/admin/analytics/refresh',
        'GET /v1/admin/catalogue/export',
        'GET /v1/admin/skills/{skillId}/cascade',
        'GET /v1/admin/units/{unitId}/cascade',
        'GET /v1/admin/activities/{activityId}/cascade',
        'GET /v1/admin/activities/{activityId}/export',
        'PUT /v1/admin/skills/{skillId}/order',
        'POST /v1/admin/catalogue/import',
        'POST /v1/admin/skills',
        'PATCH /v1/admin/skills/{skillId}',
        'DELETE /v1/admin/skills/{skillId}',
        'PUT /v1/admin/skills/{skillId}/prerequisites/{requiredSkillId}',
        'DELETE /v1/admin/skills/{skillId}/prerequisites/{requiredSkillId}',
        'POST /v1/admin/units',
        'PATCH /v1/admin/units/{unitId}',
        'DELETE /v1/admin/units/{unitId}',
        'POST /v1/admin/units/{unitId}/activities/import',
        'POST /v1/admin/lti/platforms',
        'GET /v1/admin/lti/platforms',
        'GET /v1/admin/lti/grade-failures',
        'POST /v1/admin/lti/grade-failures/retry',
        'POST /v1/admin/lti/platforms/{platformId}/approve',
        'DELETE /v1/admin/lti/platforms/{platformId}',
        'GET /lti/jwks',
        'GET /lti/login',
        'POST /lti/login',
        'POST /lti/launch',
        'GET /lti/deep-link',
        'POST /lti/deep-link',
        'GET /lti/register',
        'GET /lti/app/',
        'GET /lti/class',
        'POST /v1/admin/activities',
        'GET /v1/admin/activities/{activityId}',
        'PATCH /v1/admin/activities/{activityId}',
        'DELETE /v1/admin/activities/{activityId}',
      ].sort(),
    )
    for (const { route, op } of operations) {
      expect(op.summary, route).toBeTruthy()
      if (route.includes('/v1/'))
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('4')),
          route,
        ).toBe(true)
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Problem',
        'ActivityContent',
        'LearnerContent',
        'Attempt',
        'SkillState',
        'CatalogueSkill',
      ]),
    )
  })
})

describe('GET /docs', () => {
  it('serves the API reference page, whose script is served by this Worker', async () => {
    const res = await api('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('data-url="/openapi.json"')
    expect(html).toContain('src="/docs/scalar.js"')
    expect(html).not.toMatch(/https?:\/\//)
  })
})

describe('the examples of the document', () => {
  it('answer no fixed question of the sample catalogue correctly (they show the shape, not the keys)', () => {
    const doc = committed as unknown as {
      components: {
        schemas: { SubmitAttempt: { example: { response: { answers: Record<string, unknown> } } } }
      }
    }
    const { answers } = doc.components.schemas.SubmitAttempt.example.response
    for (const activity of seedActivities) {
      const authored = activityContent.parse(activity.content)
      // A parameterised question's key changes with every instance: the example cannot give it away.
      const content = { ...authored, questions: authored.questions.filter((q) => !isParameterised(q)) }
      const all = content.questions.map((question) => question.id)
      const given = answers as Record<string, AnswerValue>
      const wrongShape = new Set(invalidAnswers(content, all, given).map((invalid) => invalid.questionId))
      const gradable = Object.fromEntries(
        Object.entries(given).filter(([id]) => !wrongShape.has(id) && all.includes(id)),
      )
      expect(grade(content, all, gradable).score, activity.name).toBe(0)
    }
  })
})
