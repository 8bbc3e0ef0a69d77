// Incidents in, through the API: a police force's records system posts each incident with its key.
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, apiClient, originOf } from '../platform/http/server.ts'
import { Admission } from '../platform/http/admission.ts'

/**
 * Admission control: at most INTAKE_CONCURRENCY incidents are worked on at once (checked and matched,
 * then waiting to be written, together with others that came meanwhile: see GroupCommit) and at most
 * INTAKE_QUEUE wait their turn; beyond that the force's system is told to send again shortly (503 with
 * Retry-After) instead of every request slowing down and memory growing without bound. Nothing is stored
 * for a refused request.
 */
const INTAKE_CONCURRENCY = 64
const INTAKE_QUEUE = 256
const RETRY_AFTER_SECONDS = 2

export const encompassRoutes: RouteRegistrar = (app, services) => {
  const admission = new Admission(INTAKE_CONCURRENCY, INTAKE_QUEUE)
  app.post('/api/v1/incidents', { config: { access: { api: 'child-record:create' } } }, async (request, reply) => {
    const client = apiClient(request)
    const release = await admission.enter()
    if (!release) {
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'busy', message: `Harbour is receiving more incidents than it can take at once: nothing was stored, send this one again in ${RETRY_AFTER_SECONDS} seconds` })
    }
    let result
    try {
      result = await services.incidents.receive(client.organisationId, request.body, actorOfRequest(request), originOf(request))
    } finally {
      release()
    }
    if (!result.ok) {
      return reply.code(400).send({ error: 'invalid-incident', message: 'Nothing was stored: correct each field and send it again', errors: result.errors })
    }
    // a new incident, or the same one sent again (the same answer, nothing created): 201; an amendment: 200
    return reply.code(result.amended ? 200 : 201).send(result.answer)
  })
}
