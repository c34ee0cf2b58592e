import type { Request } from 'express'
import { serialize } from '../resources'
import { approveMove, createMove, lockoutMove, redirectMove, rejectMove } from '../../lib/moves/lifecycle'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import { contractResource } from '../jsonapiBody'
import { eventTime } from './eventBody'
import { refuseUnsupported } from '../../lib/moves/unsupported'

/**
 * Creating a move and the events beyond accept, start and complete. Their bodies are declared in
 * openapi.yaml (MoveCreate, MoveApprove, MoveReject, MoveLockout, MoveRedirect) and checked before a
 * handler runs; handlers read the declared members by name, so undeclared ones are ignored.
 */
export function lifecycleHandlers(services: Services): HandlerTable {
  const { clock } = services
  const who = (req: Request) => {
    const { id, supplierId } = client(req)
    return { id, supplierId }
  }

  return {
    createMove: write(async (req, w) => {
      const { attributes: a, relationships: r } = contractResource<'createMove'>(req, 'moves')
      refuseUnsupported('moves', a)
      const ctx = serializeContext(req)
      const move = await createMove(
        w,
        {
          move_type: a.move_type,
          status: a.status ?? 'requested',
          date: a.date ?? null,
          date_from: a.date_from ?? null,
          date_to: a.date_to ?? null,
          time_due: a.time_due ?? null,
          additional_information: a.additional_information ?? null,
          move_agreed: a.move_agreed ?? null,
          move_agreed_by: a.move_agreed_by ?? null,
          fromLocationId: r.from_location.data.id,
          toLocationId: r.to_location?.data?.id ?? null,
          profileId: r.profile?.data?.id ?? null,
          prisonTransferReasonId: r.prison_transfer_reason?.data?.id ?? null,
        },
        who(req),
        clock.now(),
      )
      return jsonApiResponse(201, await serialize(w.tx, 'moves', move, ctx, {}), {
        Location: `${ctx.baseUrl}/api/moves/${move.id}`,
      })
    }),

    approveMove: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes } = contractResource<'approveMove'>(req, ['approves', 'approve'])
      await approveMove(w, { id, ...eventTime(attributes), date: attributes.date }, who(req), clock.now())
      return jsonApiResponse(204)
    }),

    rejectMove: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes: a } = contractResource<'rejectMove'>(req, ['rejects', 'reject'])
      await rejectMove(
        w,
        {
          id,
          ...eventTime(a),
          reason: a.rejection_reason,
          comment: a.cancellation_reason_comment ?? null,
          rebook: a.rebook === true,
        },
        who(req),
        clock.now(),
      )
      return jsonApiResponse(204)
    }),

    lockoutMove: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes: a, relationships: r } = contractResource<'lockoutMove'>(req, 'lockouts')
      await lockoutMove(
        w,
        { id, ...eventTime(a), reason: a.reason, fromLocationId: r?.from_location?.data?.id ?? null },
        who(req),
        clock.now(),
      )
      return jsonApiResponse(204)
    }),

    redirectMove: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes: a, relationships: r } = contractResource<'redirectMove'>(req, 'redirects')
      await redirectMove(
        w,
        {
          id,
          ...eventTime(a),
          reason: a.reason ?? null,
          toLocationId: r.to_location.data.id,
          moveType: a.move_type ?? null,
        },
        who(req),
        clock.now(),
      )
      return jsonApiResponse(204)
    }),
  }
}
