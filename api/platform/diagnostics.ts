import { isBookingClient } from '../../lib/auth/writeScope'
import { DomainError } from '../../lib/errors'
import { moveDiagnostics } from '../../lib/moves/diagnostics'
import type { Services } from '../../lib/services'
import { client, type HandlerTable } from '../context'

/** Support's diagnostics (issue #21): a move told in plain text. */
export function diagnosticsHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    getMoveDiagnostics: async (req, res) => {
      const caller = client(req)
      // The same clients as /api: a supplier's (seeing its own moves) or the frontend.
      if (!isBookingClient(caller)) {
        throw new DomainError('forbidden', "Diagnostics need a supplier's client or one with the frontend role")
      }
      const account = await moveDiagnostics(
        db,
        String(req.params.move),
        caller.supplierId,
        caller.roles.includes('diagnostics-pii'),
      )
      res.status(200).type('text/plain').send(account)
    },
  }
}
