import { DomainError } from '../../lib/errors'
import { parseFields, parseInclude } from '../jsonapi/parameters'
import { serialize } from '../resources'
import { parsePage } from '../../lib/jsonapi/pagination'
import { paginationLinks } from '../jsonapi/pagination'
import { csv, filterObject } from '../../lib/jsonapi/query'
import { createPerson, findPerson, listPeople, updatePerson, type PersonInput } from '../../lib/moves/people'
import { createProfile, updateProfile, type DocumentsInput } from '../../lib/moves/profiles'
import type { Services } from '../../lib/services'
import type { Request } from 'express'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import type { components } from '../contract'
import { contractResource } from '../jsonapiBody'

const PERSON_INCLUDES = ['ethnicity', 'gender', 'profiles'] as const
const PROFILE_INCLUDES = ['person', 'documents'] as const

/**
 * A person's declared members by name, so that what else the client sent is ignored and stored
 * nowhere. An absent relationship is undefined (kept as it is), a null one removes the link.
 */
function personInput(
  attributes: components['schemas']['PersonAttributes'],
  relationships: components['schemas']['PersonRelationships'] = {},
): PersonInput {
  return {
    first_names: attributes.first_names,
    last_name: attributes.last_name,
    date_of_birth: attributes.date_of_birth,
    gender_additional_information: attributes.gender_additional_information,
    prison_number: attributes.prison_number,
    criminal_records_office: attributes.criminal_records_office,
    police_national_computer: attributes.police_national_computer,
    gender_id: relationships.gender && (relationships.gender.data?.id ?? null),
    ethnicity_id: relationships.ethnicity && (relationships.ethnicity.data?.id ?? null),
  }
}

/** The documents a profile's `documents` relationship names, with who names them; undefined when absent. */
function documentsInput(
  req: Request,
  relationships: components['schemas']['ProfileWrite']['data']['relationships'],
): DocumentsInput | undefined {
  const documents = relationships?.documents
  return documents && { ids: documents.data.map(d => d.id), client: client(req) }
}

/** Answers sent by hand, their declared members only; undefined when none were sent (import from alerts). */
function answerInput(attributes: components['schemas']['ProfileWrite']['data']['attributes'] = {}) {
  return attributes.assessment_answers?.map(a => ({
    assessment_question_id: a.assessment_question_id,
    comments: a.comments ?? null,
  }))
}

export function peopleHandlers(services: Services): HandlerTable {
  const { db, clock } = services
  return {
    // Finding a prisoner imports the record into people, as the reference does before answering: a
    // read that writes, so it runs in the write path.
    listPeople: write(async (req, w) => {
      const filter = filterObject(req.query)
      const page = parsePage(req.query)
      const include = parseInclude(req.query.include, PERSON_INCLUDES)
      const ctx = serializeContext(req)
      const { rows, total } = await listPeople(
        w,
        {
          prison_number: csv(filter.prison_number),
          police_national_computer: csv(filter.police_national_computer),
          criminal_records_office: csv(filter.criminal_records_office),
          fuzzy_pnc: csv(filter.fuzzy_pnc),
        },
        page,
        clock.now(),
      )
      const { links, meta } = paginationLinks(ctx.baseUrl, req.path, req.query, page, total)
      return jsonApiResponse(
        200,
        await serialize(w.tx, 'people', rows, ctx, { include, fields: parseFields(req.query.fields), links, meta }),
      )
    }),

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

    createPerson: write(async (req, w) => {
      const data = contractResource<'createPerson'>(req, 'people')
      const input = personInput(data.attributes, data.relationships)
      const ctx = serializeContext(req)
      const person = await createPerson(w, input, clock.now())
      return jsonApiResponse(201, await serialize(w.tx, 'people', person, ctx), {
        Location: `${ctx.baseUrl}/api/people/${person.id}`,
      })
    }),

    updatePerson: write(async (req, w) => {
      const id = String(req.params.id)
      const data = contractResource<'updatePerson'>(req, 'people', id)
      const input = personInput(data.attributes ?? {}, data.relationships)
      const ctx = serializeContext(req)
      return jsonApiResponse(200, await serialize(w.tx, 'people', await updatePerson(w, id, input, clock.now()), ctx))
    }),

    createProfile: write(async (req, w) => {
      const personId = String(req.params.id)
      const { attributes, relationships } = contractResource<'createProfile'>(req, 'profiles')
      const ctx = serializeContext(req)
      const include = parseInclude(req.query.include, PROFILE_INCLUDES)
      const documents = documentsInput(req, relationships)
      const profile = await createProfile(w, personId, answerInput(attributes), clock.now(), documents)
      return jsonApiResponse(201, await serialize(w.tx, 'profiles', profile, ctx, { include }))
    }),

    updateProfile: write(async (req, w) => {
      const personId = String(req.params.id)
      const profileId = String(req.params.profile_id)
      const { attributes, relationships } = contractResource<'updateProfile'>(req, 'profiles', profileId)
      const ctx = serializeContext(req)
      const include = parseInclude(req.query.include, PROFILE_INCLUDES)
      const documents = documentsInput(req, relationships)
      const profile = await updateProfile(w, personId, profileId, answerInput(attributes), clock.now(), documents)
      return jsonApiResponse(200, await serialize(w.tx, 'profiles', profile, ctx, { include }))
    }),
  }
}
