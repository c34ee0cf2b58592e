import { DomainError } from '../../lib/errors'
import { canonicalIdentifier } from '../../lib/identifiers'
import type { Services } from '../../lib/services'
import { subjectAccess } from '../../lib/subjectAccess/subjectAccess'
import type { HandlerTable } from '../context'

/**
 * GET /subject-access-request (issue #21), for a client with the `subject-access` role (openapi.yaml
 * x-roles): `{ content: {...} }` with one member per section (lib/subjectAccess), 204 when we hold no
 * such person, 209 for a case reference number alone (we keep none), as the HMPPS subject access
 * service expects of every service it asks.
 */
export function subjectAccessHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    subjectAccessRequest: async (req, res) => {
      const prn = canonicalIdentifier(req.query.prn as string | undefined)
      if (!prn) {
        if (req.query.crn !== undefined) {
          res.status(209).end()
          return
        }
        throw new DomainError('bad_request', 'A prison number (prn) is required', { subject: { parameter: 'prn' } })
      }
      const fromDate = req.query.from_date as string | undefined
      const toDate = req.query.to_date as string | undefined
      // Backwards, the range would hold nothing and the answer would wrongly say we hold nothing.
      if (fromDate && toDate && toDate < fromDate) {
        throw new DomainError('invalid_query_parameter', 'must not be before from_date', {
          subject: { parameter: 'to_date' },
        })
      }
      const content = await subjectAccess(db, prn, { fromDate, toDate })
      if (!content) {
        res.status(204).end()
        return
      }
      res.json({ content })
    },
  }
}
