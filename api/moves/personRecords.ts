import { parseInclude } from '../jsonapi/parameters'
import { booleanParameter, filterObject } from '../../lib/jsonapi/query'
import { personCourtCases, personImage, personTimetable } from '../../lib/moves/personRecords'
import { DomainError } from '../../lib/errors'
import type { Services } from '../../lib/services'
import { serialize } from '../resources'
import { serializeContext, type HandlerTable } from '../context'

const INCLUDES = ['location'] as const

/** A person's look-ups in our prisoner records (issue #21): photo, court cases, timetable. */
export function personRecordHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    getPersonImage: async (req, res) => {
      const image = await personImage(db, String(req.params.id))
      res.json(await serialize(db, 'images', image, serializeContext(req)))
    },

    listPersonCourtCases: async (req, res) => {
      const include = parseInclude(req.query.include, INCLUDES)
      const active = booleanParameter(filterObject(req.query).active)
      const rows = await personCourtCases(db, String(req.params.id), active)
      res.json(await serialize(db, 'court_cases', rows, serializeContext(req), { include }))
    },

    getPersonTimetable: async (req, res) => {
      const include = parseInclude(req.query.include, INCLUDES)
      const filter = filterObject(req.query) as { date_from: string; date_to: string }
      // A backwards range is the client's mistake, as in /api/locations_free_spaces, not an empty timetable.
      if (filter.date_to < filter.date_from) {
        throw new DomainError('invalid_query_parameter', 'date_to must not be before date_from', {
          subject: { parameter: 'filter[date_to]' },
        })
      }
      const rows = await personTimetable(db, String(req.params.id), filter.date_from, filter.date_to)
      res.json(await serialize(db, 'timetable_entries', rows, serializeContext(req), { include }))
    },
  }
}
