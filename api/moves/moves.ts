import type { Request, Response } from 'express'
import { parseFields, parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import { parsePage } from '../../lib/jsonapi/pagination'
import { paginationLinks } from '../jsonapi/pagination'
import { booleanParameter, csv, dateParameter, filterObject } from '../../lib/jsonapi/query'
import {
  findMove,
  listMoves,
  transitionMove,
  updateMove,
  type MoveFilter,
  type Sort as MoveSort,
} from '../../lib/moves/moves'
import { loadMoveMeta, type MoveMetaName } from '../../lib/moves/moveMeta'
import { refuseUnsupported } from '../../lib/moves/unsupported'
import type { Services } from '../../lib/services'
import type { MoveEventName } from '../../machines/move'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable, type WriteOperation } from '../context'
import { contractResource, searchFilter } from '../jsonapiBody'
import { cancellationOf, eventTime } from './eventBody'
import { parseSort } from './sorting'

const SHARED_INCLUDES = [
  'from_location',
  'to_location',
  'allocation',
  'supplier',
  'prison_transfer_reason',
  'original_move',
  'court_hearings',
]
/** Version 2 moves link to a profile; version 1 moves to the person. */
const INCLUDES: Record<number, readonly string[]> = {
  2: [
    'profile',
    'profile.person',
    'profile.person.ethnicity',
    'profile.person.gender',
    'profile.category',
    'profile.person_escort_record',
    'profile.person_escort_record.flags',
    'profile.youth_risk_assessment',
    'profile.documents',
    ...SHARED_INCLUDES,
    'timeline_events',
    'important_events',
    'lodgings',
    'lodgings.location',
  ],
  1: ['person', 'person.ethnicity', 'person.gender', ...SHARED_INCLUDES],
}

/** Version 1 includes every relationship when the request names none, as the reference does. */
function includes(req: Request): string[] {
  const supported = INCLUDES[req.apiVersion ?? 1] ?? INCLUDES[2]!
  if (req.apiVersion === 1 && req.query.include === undefined) return [...supported]
  return parseInclude(req.query.include, supported)
}

/** The moves list's filter, from `filter[...]` or a search body; openapi.yaml has checked each value. */
export function parseMoveFilter(filter: Record<string, unknown>): MoveFilter {
  return {
    date_from: dateParameter(filter.date_from),
    date_to: dateParameter(filter.date_to),
    created_at_from: dateParameter(filter.created_at_from),
    created_at_to: dateParameter(filter.created_at_to),
    date_of_birth_from: dateParameter(filter.date_of_birth_from),
    date_of_birth_to: dateParameter(filter.date_of_birth_to),
    has_relationship_to_allocation: booleanParameter(filter.has_relationship_to_allocation),
    ready_for_transit: booleanParameter(filter.ready_for_transit),
    // Not declared as an enumeration: a status no move has matches nothing, as in the reference (issue #17).
    status: csv(filter.status),
    move_type: csv(filter.move_type),
    cancellation_reason: csv(filter.cancellation_reason),
    rejection_reason: csv(filter.rejection_reason),
    location_type: csv(filter.location_type),
    from_location_id: csv(filter.from_location_id),
    to_location_id: csv(filter.to_location_id),
    location_id: csv(filter.location_id),
    supplier_id: csv(filter.supplier_id),
    profile_id: csv(filter.profile_id),
    person_id: csv(filter.person_id),
    reference: csv(filter.reference)?.map(r => r.toUpperCase()),
  }
}

/** What a move list shows of each included event unless `fields[events]` says otherwise. */
const LIST_EVENT_FIELDS = ['occurred_at', 'event_type', 'classification']

export function moveHandlers(services: Services): HandlerTable {
  const { db, clock } = services

  const event = (name: MoveEventName, type: string): WriteOperation =>
    write(async (req, w) => {
      const id = String(req.params.id)
      // acceptMove, startMove and completeMove share one body (MoveTransition).
      const body = eventTime(contractResource<'acceptMove'>(req, type).attributes)
      const { id: clientId, supplierId } = client(req)
      await transitionMove(w, { id, event: name, ...body }, { id: clientId, supplierId }, clock.now())
      return jsonApiResponse(204)
    })

  /** GET /api/moves and POST /api/moves/filtered: the same list, its filter from the query or the body. */
  const list = async (req: Request, res: Response, filter: Record<string, unknown>) => {
    const page = parsePage(req.query)
    const include = includes(req)
    const parsed = parseMoveFilter(filter)
    const sort = parseSort<MoveSort['by']>(req, { by: 'date', direction: 'desc' })
    // The names are declared in openapi.yaml's MoveMeta.
    const metaNames = csv(req.query.meta) as MoveMetaName[] | undefined
    // The profile and person a page includes come with the page's own statement.
    const person = include.some(path => /^(profile\.)?person(\.|$)/.test(path))
    const ctx = serializeContext(req)
    const embeds = {
      profile: include.some(path => /^profile(\.|$)/.test(path)),
      person,
      latestAnswers: person && ctx.version === 1,
    }
    const { rows, total } = await listMoves(db, parsed, sort, page, client(req).supplierId, embeds)
    const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
    const fields = parseFields(req.query.fields)
    // A list's events are the short form (issue #14), as the reference's TimelineEventsSerializer.
    if (!fields.has('events')) fields.set('events', new Set(LIST_EVENT_FIELDS))
    const document = await serialize(db, 'moves', rows, ctx, { include, fields, links, meta })
    if (metaNames) await addMoveMeta(document, metaNames)
    res.json(document)
  }

  /** Adds each move's (the list's or the one's) asked-for `meta` members to its resource object. */
  const addMoveMeta = async (document: Record<string, unknown>, names: MoveMetaName[]) => {
    type MoveResource = { id: string; meta?: Record<string, unknown> }
    const data = document.data as MoveResource[] | MoveResource
    const resources = Array.isArray(data) ? data : [data]
    const byMove = await loadMoveMeta(
      db,
      resources.map(r => r.id),
      names,
    )
    for (const resource of resources) resource.meta = { ...resource.meta, ...byMove.get(resource.id) }
  }

  return {
    listMoves: (req, res) => list(req, res, filterObject(req.query)),
    filterMoves: (req, res) => list(req, res, searchFilter(req)),

    getMove: async (req, res) => {
      const move = await findMove(db, String(req.params.id), client(req).supplierId)
      const document = await serialize(db, 'moves', move, serializeContext(req), {
        include: includes(req),
        fields: parseFields(req.query.fields),
      })
      const metaNames = csv(req.query.meta) as MoveMetaName[] | undefined
      if (metaNames) await addMoveMeta(document, metaNames)
      res.json(document)
    },

    updateMove: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes: a = {}, relationships: r = {} } = contractResource<'updateMove'>(req, 'moves', id)
      refuseUnsupported('moves', a)
      const ctx = serializeContext(req)
      const include = includes(req)
      // Declared members only, by name: what else the client sent is ignored and stored nowhere.
      const move = await updateMove(
        w,
        id,
        {
          date: a.date,
          time_due: a.time_due,
          additional_information: a.additional_information,
          move_agreed: a.move_agreed,
          status: a.status,
          move_agreed_by: a.move_agreed_by,
          profileId: r.profile && (r.profile.data?.id ?? null),
          prisonTransferReasonId: r.prison_transfer_reason && (r.prison_transfer_reason.data?.id ?? null),
        },
        { id: client(req).id, supplierId: client(req).supplierId },
        clock.now(),
      )
      return jsonApiResponse(200, await serialize(w.tx, 'moves', move, ctx, { include }))
    }),

    cancelMove: write(async (req, w) => {
      const id = String(req.params.id)
      const { attributes } = contractResource<'cancelMove'>(req, 'cancels')
      const cancellation = cancellationOf(attributes)
      const { id: clientId, supplierId } = client(req)
      await transitionMove(
        w,
        {
          id,
          event: 'cancel',
          ...eventTime(attributes),
          changes: {
            cancellation_reason: cancellation.reason,
            cancellation_reason_comment: cancellation.comment,
          },
        },
        { id: clientId, supplierId },
        clock.now(),
      )
      return jsonApiResponse(204)
    }),
    acceptMove: event('accept', 'accepts'),
    startMove: event('start', 'starts'),
    completeMove: event('complete', 'completes'),
  }
}
