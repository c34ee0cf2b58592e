import type { Request } from 'express'
import { createCourtHearing } from '../../lib/moves/courtHearings'
import {
  createExtraditionFlight,
  findExtraditionFlight,
  updateExtraditionFlight,
} from '../../lib/moves/extraditionFlights'
import type { Services } from '../../lib/services'
import { serialize } from '../resources'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import { contractResource } from '../jsonapiBody'

/** Court hearings and extradition flights (issue #21): what a move to court or abroad carries. */
export function courtHearingHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  const who = (req: Request) => {
    const { id, supplierId } = client(req)
    return { id, supplierId }
  }
  const flightSelf = (req: Request, moveId: string) =>
    `${serializeContext(req).baseUrl}/api/moves/${moveId}/extradition_flight`

  return {
    createCourtHearing: write(async (req, w) => {
      const { attributes, relationships } = contractResource<'createCourtHearing'>(req, 'court_hearings')
      const hearing = await createCourtHearing(
        w,
        {
          start_time: attributes.start_time,
          case_start_date: attributes.case_start_date,
          case_number: attributes.case_number,
          case_type: attributes.case_type,
          nomis_case_id: attributes.nomis_case_id,
          comments: attributes.comments,
          moveId: relationships?.move?.data?.id ?? null,
          saveToRecords: req.query.do_not_save_to_nomis !== 'true',
        },
        who(req),
        clock.now(),
      )
      return jsonApiResponse(201, await serialize(w.tx, 'court_hearings', hearing, serializeContext(req)))
    }),

    getExtraditionFlight: async (req, res) => {
      const flight = await findExtraditionFlight(db, String(req.params.id), who(req))
      res.json(await serialize(db, 'extradition_flight', flight, serializeContext(req)))
    },

    createExtraditionFlight: write(async (req, w) => {
      const moveId = String(req.params.id)
      const { attributes } = contractResource<'createExtraditionFlight'>(req, 'extradition_flight')
      const flight = await createExtraditionFlight(w, moveId, attributes, who(req), clock.now())
      return jsonApiResponse(201, await serialize(w.tx, 'extradition_flight', flight, serializeContext(req)), {
        Location: flightSelf(req, moveId),
      })
    }),

    updateExtraditionFlight: write(async (req, w) => {
      const moveId = String(req.params.id)
      const { attributes = {} } = contractResource<'updateExtraditionFlight'>(req, 'extradition_flight')
      const flight = await updateExtraditionFlight(w, moveId, attributes, who(req), clock.now())
      return jsonApiResponse(200, await serialize(w.tx, 'extradition_flight', flight, serializeContext(req)))
    }),
  }
}
