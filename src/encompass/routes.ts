// Incidents in, through the API: a police force's records system posts each incident with its key.
import type { RouteRegistrar } from '../platform/http/server.ts'
import { actorOfRequest, apiClient, originOf } from '../platform/http/server.ts'

export const encompassRoutes: RouteRegistrar = (app, services) => {
  app.post('/api/v1/incidents', { config: { access: { api: 'child-record:create' } } }, async (request, reply) => {
    const client = apiClient(request)
    const result = await services.incidents.receive(client.organisationId, request.body, actorOfRequest(request), originOf(request))
    if (!result.ok) {
      return reply.code(400).send({ error: 'invalid-incident', message: 'Nothing was stored: correct each field and send it again', errors: result.errors })
    }
    // a new incident, or the same one sent again (the same answer, nothing created): 201; an amendment: 200
    return reply.code(result.amended ? 200 : 201).send(result.answer)
  })
}
