import type { Request } from 'express'
import {
  answerResponses,
  confirmAssessment,
  createAssessment,
  findAssessmentId,
  type AssessmentClient,
} from '../../lib/assessments/assessments'
import { loadAssessments, loadResponses } from '../../lib/assessments/rows'
import { ASSESSMENT_TYPES, type AssessmentKind } from '../../lib/assessments/scope'
import { DomainError, member } from '../../lib/errors'
import type { Services } from '../../lib/services'
import { client, jsonApiResponse, serializeContext, write, type HandlerTable } from '../context'
import { parseInclude } from '../jsonapi/parameters'
import { contractResource, type ContractBody } from '../jsonapiBody'
import { serialize } from '../resources'

/** What an assessment document may include (reference §2.7, with `descendants` one level deep). */
const INCLUDES = [
  'profile',
  'profile.person',
  'move',
  'framework',
  'responses',
  'responses.question',
  'responses.question.descendants',
  'responses.question.flags',
  'responses.flags',
  'responses.nomis_mappings',
  'flags',
  'prefill_source',
]

/** What a response document may include. */
const RESPONSE_INCLUDES = ['question', 'flags', 'nomis_mappings', 'person_escort_record', 'youth_risk_assessment']

const who = (req: Request): AssessmentClient => {
  const { id, name, supplierId } = client(req)
  return { id, name, supplierId }
}

/** The operations of one kind, named as openapi.yaml names them. */
const OPERATIONS = {
  person_escort_record: {
    create: 'createPersonEscortRecord',
    get: 'getPersonEscortRecord',
    update: 'updatePersonEscortRecord',
    responses: 'updatePersonEscortRecordResponses',
  },
  youth_risk_assessment: {
    create: 'createYouthRiskAssessment',
    get: 'getYouthRiskAssessment',
    update: 'updateYouthRiskAssessment',
    responses: 'updateYouthRiskAssessmentResponses',
  },
} as const

/**
 * Person escort records, youth risk assessments and their responses (issue #15). Bodies are declared
 * in openapi.yaml (AssessmentCreate, AssessmentUpdate, FrameworkResponsesUpdate,
 * FrameworkResponseUpdate) and checked before a handler runs; the use cases are lib/assessments.
 */
export function assessmentHandlers(services: Services): HandlerTable {
  const { db, clock } = services

  const document = async (tx: typeof db, kind: AssessmentKind, id: string, req: Request, include: string[]) => {
    const [row] = await loadAssessments(tx, [id])
    return serialize(tx, ASSESSMENT_TYPES[kind], row, serializeContext(req), { include })
  }

  const kindHandlers = (kind: AssessmentKind): HandlerTable => {
    const type = ASSESSMENT_TYPES[kind]
    const ops = OPERATIONS[kind]
    return {
      [ops.create]: write(async (req, w) => {
        const include = parseInclude(req.query.include, INCLUDES)
        const { attributes, relationships } = contractResource<'createPersonEscortRecord'>(req, type)
        const id = await createAssessment(
          w,
          { kind, moveId: relationships.move.data.id, version: attributes?.version ?? null },
          who(req),
          clock.now(),
        )
        return jsonApiResponse(201, await document(w.tx, kind, id, req, include), {
          Location: `${serializeContext(req).baseUrl}/api/${type}/${id}`,
        })
      }),

      [ops.get]: async (req, res) => {
        const include = parseInclude(req.query.include, INCLUDES)
        const id = await findAssessmentId(db, kind, String(req.params.id), client(req))
        res.json(await document(db, kind, id, req, include))
      },

      [ops.update]: write(async (req, w) => {
        const id = String(req.params.id)
        const include = parseInclude(req.query.include, INCLUDES)
        const { attributes } = contractResource<'updatePersonEscortRecord'>(req, type, id)
        const occurredAt = attributes.handover_occurred_at ? new Date(attributes.handover_occurred_at) : null
        await confirmAssessment(
          w,
          { id, kind, handover: attributes.handover_details ?? {}, occurredAt },
          who(req),
          clock.now(),
        )
        return jsonApiResponse(200, await document(w.tx, kind, id, req, include))
      }),

      [ops.responses]: write(async (req, w) => {
        const id = String(req.params.id)
        const { data } = req.body as ContractBody<'updatePersonEscortRecordResponses'>
        data.forEach((item, i) => {
          if (item.type !== undefined && item.type !== 'framework_responses') {
            throw new DomainError('type_conflict', 'data.type must be framework_responses', {
              subject: member('data', i, 'type'),
            })
          }
        })
        if (data.length) {
          await answerResponses(
            w,
            {
              assessmentId: id,
              kind,
              answers: data.map((item, i) => ({
                id: item.id,
                value: item.attributes.value,
                at: ['data', i, 'attributes', 'value'],
              })),
            },
            who(req),
            clock.now(),
          )
        } else await findAssessmentId(w.tx, kind, id, client(req))
        return jsonApiResponse(204)
      }),
    }
  }

  return {
    ...kindHandlers('person_escort_record'),
    ...kindHandlers('youth_risk_assessment'),

    updateFrameworkResponse: write(async (req, w) => {
      const id = String(req.params.id)
      const include = parseInclude(req.query.include, RESPONSE_INCLUDES)
      const { attributes } = contractResource<'updateFrameworkResponse'>(req, 'framework_responses', id)
      await answerResponses(
        w,
        { assessmentId: null, kind: null, answers: [{ id, value: attributes.value, at: ['data', 'attributes', 'value'] }] },
        who(req),
        clock.now(),
      )
      const [row] = await loadResponses(w.tx, [id])
      return jsonApiResponse(200, await serialize(w.tx, 'framework_responses', row, serializeContext(req), { include }))
    }),
  }
}
