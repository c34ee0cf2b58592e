import type { Request } from 'express'
import { DomainError, type ErrorSubject, attribute, relationship } from '../../lib/errors'
import { serialize } from '../../lib/jsonapi/document'
import { isDate } from '../../lib/jsonapi/query'
import {
  approveMove,
  createMove,
  lockoutMove,
  LOCKOUT_REASONS,
  redirectMove,
  REDIRECT_REASONS,
  rejectMove,
  REJECTION_REASONS,
} from '../../lib/moves/lifecycle'
import { MOVE_TYPES } from '../../lib/moves/moves'
import '../../lib/moves/resources'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, serializeContext, writeTransaction, type HandlerTable } from '../context'
import { resourceBody } from '../jsonapiBody'
import { eventBody } from './eventBody'

type Problem = { detail: string; subject: ErrorSubject }

/** Reads an event's own attributes after eventBody has checked the shared ones. */
function attributes(req: Request, type: readonly string[]) {
  const data = resourceBody(req, type)
  const a = data.attributes ?? {}
  const relationships = data.relationships ?? {}
  const problems: Problem[] = []
  return {
    oneOf<T extends string>(name: string, allowed: readonly T[], required: boolean): T | null {
      const value = a[name]
      if (value === undefined || value === null) {
        if (required)
          problems.push({ detail: `${name} is required, one of ${allowed.join(', ')}`, subject: attribute(name) })
        return null
      }
      if (!allowed.includes(value as T)) {
        problems.push({ detail: `${name} must be one of ${allowed.join(', ')}`, subject: attribute(name) })
        return null
      }
      return value as T
    },
    string(name: string): string | null {
      const value = a[name]
      if (value !== undefined && value !== null && typeof value !== 'string') {
        problems.push({ detail: `${name} must be a string`, subject: attribute(name) })
      }
      return typeof value === 'string' ? value : null
    },
    boolean(name: string): boolean {
      const value = a[name]
      if (value !== undefined && value !== null && typeof value !== 'boolean') {
        problems.push({ detail: `${name} must be true or false`, subject: attribute(name) })
      }
      return value === true
    },
    date(name: string): string {
      if (!isDate(a[name])) problems.push({ detail: `${name} is required (YYYY-MM-DD)`, subject: attribute(name) })
      return a[name] as string
    },
    location(name: string, required: boolean): string | null {
      const linkage = relationships[name]?.data as { type?: unknown; id?: unknown } | null | undefined
      if (linkage === undefined || linkage === null) {
        if (required) problems.push({ detail: `${name} is required`, subject: relationship(name) })
        return null
      }
      if (typeof linkage !== 'object' || linkage.type !== 'locations' || typeof linkage.id !== 'string') {
        problems.push({
          detail: `${name} must be {"data": {"type": "locations", "id": ...}}`,
          subject: relationship(name),
        })
        return null
      }
      return linkage.id
    },
    check() {
      if (problems.length) throw DomainError.many('unprocessable_entity', problems)
    },
  }
}

export function lifecycleHandlers(services: Services): HandlerTable {
  const { clock } = services
  const who = (req: Request) => {
    const { id, supplierId } = client(req)
    return { id, supplierId }
  }

  return {
    createMove: async (req, res) => {
      const data = resourceBody(req, 'moves')
      const ctx = serializeContext(req)
      await writeTransaction(services, req, res, async tx => {
        const move = await createMove(
          tx,
          { attributes: data.attributes ?? {}, relationships: data.relationships ?? {} },
          who(req),
          clock.now(),
        )
        return jsonApiResponse(201, await serialize(tx, 'moves', move, ctx, {}), {
          Location: `${ctx.baseUrl}/api/moves/${move.id}`,
        })
      })
    },

    approveMove: async (req, res) => {
      const id = String(req.params.id)
      const types = ['approves', 'approve']
      const body = eventBody(req, types)
      const a = attributes(req, types)
      const date = a.date('date')
      a.check()
      await writeTransaction(services, req, res, async tx => {
        await approveMove(tx, { id, ...body, date }, who(req), clock.now())
        return jsonApiResponse(204)
      })
    },

    rejectMove: async (req, res) => {
      const id = String(req.params.id)
      const types = ['rejects', 'reject']
      const body = eventBody(req, types)
      const a = attributes(req, types)
      const reason = a.oneOf('rejection_reason', REJECTION_REASONS, true)
      const comment = a.string('cancellation_reason_comment')
      const rebook = a.boolean('rebook')
      a.check()
      await writeTransaction(services, req, res, async tx => {
        await rejectMove(tx, { id, ...body, reason: reason!, comment, rebook }, who(req), clock.now())
        return jsonApiResponse(204)
      })
    },

    lockoutMove: async (req, res) => {
      const id = String(req.params.id)
      const types = ['lockouts']
      const body = eventBody(req, types)
      const a = attributes(req, types)
      const reason = a.oneOf('reason', LOCKOUT_REASONS, true)
      const fromLocationId = a.location('from_location', false)
      a.check()
      await writeTransaction(services, req, res, async tx => {
        await lockoutMove(tx, { id, ...body, reason: reason!, fromLocationId }, who(req), clock.now())
        return jsonApiResponse(204)
      })
    },

    redirectMove: async (req, res) => {
      const id = String(req.params.id)
      const types = ['redirects']
      const body = eventBody(req, types)
      const a = attributes(req, types)
      const reason = a.oneOf('reason', REDIRECT_REASONS, false)
      const moveType = a.oneOf('move_type', MOVE_TYPES, false)
      const toLocationId = a.location('to_location', true)
      a.check()
      await writeTransaction(services, req, res, async tx => {
        await redirectMove(tx, { id, ...body, reason, toLocationId: toLocationId!, moveType }, who(req), clock.now())
        return jsonApiResponse(204)
      })
    },
  }
}
