import type { Request } from 'express'
import { DomainError } from '../../lib/errors'
import { parseFields, parseInclude, serialize } from '../../lib/jsonapi/document'
import { paginationLinks, parsePage } from '../../lib/jsonapi/pagination'
import { csv, filterObject } from '../../lib/jsonapi/query'
import { createPerson, findPerson, listPeople, updatePerson, type PersonInput } from '../../lib/moves/people'
import { createProfile, updateProfile } from '../../lib/moves/profiles'
import '../../lib/moves/resources'
import type { Services } from '../../lib/services'
import { jsonApiResponse, serializeContext, writeTransaction, type HandlerTable } from '../context'
import { resourceBody } from '../jsonapiBody'

const PERSON_INCLUDES = ['ethnicity', 'gender', 'profiles'] as const
const PROFILE_INCLUDES = ['person'] as const

function personInput(req: Request, id?: string): PersonInput {
  const data = resourceBody(req, 'people', id)
  const relationship = (name: string) => {
    const rel = data.relationships?.[name]
    if (rel === undefined) return undefined
    return ((rel.data as { id?: string } | null)?.id ?? null) as string | null
  }
  return { ...(data.attributes ?? {}), gender_id: relationship('gender'), ethnicity_id: relationship('ethnicity') }
}

export function peopleHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  return {
    listPeople: async (req, res) => {
      const filter = filterObject(req.query)
      const page = parsePage(req.query)
      const include = parseInclude(req.query.include, PERSON_INCLUDES)
      const ctx = serializeContext(req)
      // Finding a prisoner imports the record into people, as the reference does before answering.
      const document = await db.transaction(async tx => {
        const { rows, total } = await listPeople(
          tx,
          {
            prison_number: csv(filter.prison_number, 'filter[prison_number]')?.map(n => n.toUpperCase()),
            police_national_computer: csv(filter.police_national_computer, 'filter[police_national_computer]'),
            criminal_records_office: csv(filter.criminal_records_office, 'filter[criminal_records_office]'),
          },
          page,
          clock.now(),
        )
        const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
        return serialize(tx, 'people', rows, ctx, { include, fields: parseFields(req.query.fields), links, meta })
      })
      res.json(document)
    },

    getPerson: async (req, res) => {
      const ctx = serializeContext(req)
      if (ctx.version === 1) {
        throw new DomainError('not_acceptable', 'GET /api/people/{id} is not supported in version 1; use version 2')
      }
      const person = await findPerson(db, String(req.params.id))
      res.json(
        await serialize(db, 'people', person, ctx, {
          include: parseInclude(req.query.include, PERSON_INCLUDES),
          fields: parseFields(req.query.fields),
        }),
      )
    },

    createPerson: async (req, res) => {
      const input = personInput(req)
      const ctx = serializeContext(req)
      await writeTransaction(services, req, res, async tx => {
        const person = await createPerson(tx, input, clock.now())
        return jsonApiResponse(201, await serialize(tx, 'people', person, ctx), {
          Location: `${ctx.baseUrl}/api/people/${person.id}`,
        })
      })
    },

    updatePerson: async (req, res) => {
      const id = String(req.params.id)
      const input = personInput(req, id)
      const ctx = serializeContext(req)
      await writeTransaction(services, req, res, async tx =>
        jsonApiResponse(200, await serialize(tx, 'people', await updatePerson(tx, id, input, clock.now()), ctx)),
      )
    },

    createProfile: async (req, res) => {
      const personId = String(req.params.id)
      const data = resourceBody(req, 'profiles')
      const ctx = serializeContext(req)
      const include = parseInclude(req.query.include, PROFILE_INCLUDES)
      await writeTransaction(services, req, res, async tx => {
        const profile = await createProfile(tx, personId, data.attributes?.assessment_answers, clock.now())
        return jsonApiResponse(201, await serialize(tx, 'profiles', profile, ctx, { include }))
      })
    },

    updateProfile: async (req, res) => {
      const personId = String(req.params.id)
      const profileId = String(req.params.profile_id)
      const data = resourceBody(req, 'profiles', profileId)
      const ctx = serializeContext(req)
      const include = parseInclude(req.query.include, PROFILE_INCLUDES)
      await writeTransaction(services, req, res, async tx => {
        const profile = await updateProfile(tx, personId, profileId, data.attributes?.assessment_answers, clock.now())
        return jsonApiResponse(200, await serialize(tx, 'profiles', profile, ctx, { include }))
      })
    },
  }
}
