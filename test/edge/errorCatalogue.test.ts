import { expect } from 'chai'
import { loadOpenApi, operations } from '../../api/openapi'
import { errorCatalogue } from '../../lib/errors'

type Schema = { properties: Record<string, { enum?: unknown[] }>; items?: Schema }
type Spec = {
  components: {
    schemas: { ErrorDocument: { properties: { errors: { items: Schema } } } }
    responses: { VisitsError: { content: { 'application/json': { schema: Schema } } } }
  }
}

const spec = loadOpenApi()
const { components } = spec as unknown as Spec
const jsonApiProblem = components.schemas.ErrorDocument.properties.errors.items
const hmppsError = components.responses.VisitsError.content['application/json'].schema
const codes = Object.keys(errorCatalogue)
const statuses = new Set<number>(Object.values(errorCatalogue).map(e => e.status))

/** Every error response an operation documents: its status and the shape (response) it refers to. */
const documented = operations(spec).flatMap(({ path, operation }) =>
  Object.entries((operation as { responses?: Record<string, { $ref?: string }> }).responses ?? {})
    .filter(([status]) => Number(status) >= 400)
    .map(([status, response]) => ({ path, operation, status: Number(status), shape: response.$ref ?? 'inline' })),
)

describe('The error catalogue and the contract hold together', () => {
  it('when openapi.yaml lists the JSON:API error codes, then they are exactly the catalogue', () => {
    expect(jsonApiProblem.properties.code!.enum).to.have.members(codes)
  })

  it('when openapi.yaml lists the JSON:API error statuses, then they are exactly the catalogue statuses', () => {
    expect(jsonApiProblem.properties.status!.enum).to.have.members([...statuses].map(String))
  })

  it('when openapi.yaml lists the HMPPS error codes, then they are exactly the catalogue', () => {
    expect(hmppsError.properties.errorCode!.enum).to.have.members(codes)
  })

  it('when an operation documents an error status, then the catalogue has a code with that status', () => {
    expect(
      documented.filter(d => !statuses.has(d.status)).map(d => `${d.operation.operationId} ${d.status}`),
    ).to.deep.equal([])
  })

  it("when an operation documents an error, then it is in its family's shape", () => {
    const expected = (path: string) =>
      path.startsWith('/api/')
        ? '#/components/responses/Error'
        : path.startsWith('/nomisapi/')
          ? '#/components/responses/NomisError'
          : /^\/(visits|queue-admin)\//.test(path)
            ? '#/components/responses/VisitsError'
            : undefined
    const wrong = documented.filter(d => expected(d.path) && d.shape !== expected(d.path))
    expect(wrong.map(d => `${d.operation.operationId} ${d.status} ${d.shape}`)).to.deep.equal([])
  })

  it('when an operation needs a role, then it documents the 403 a client without it gets', () => {
    const undocumented = operations(spec).filter(
      ({ operation }) =>
        operation['x-roles']?.length &&
        !documented.some(d => d.operation === operation && d.status === errorCatalogue.forbidden.status),
    )
    expect(undocumented.map(o => o.operation.operationId)).to.deep.equal([])
  })

  it('when an operation is on /api, then it documents the 403 of a client that is neither a supplier nor the frontend', () => {
    const undocumented = operations(spec).filter(
      ({ path, operation }) =>
        path.startsWith('/api/') &&
        !documented.some(d => d.operation === operation && d.status === errorCatalogue.forbidden.status),
    )
    expect(undocumented.map(o => o.operation.operationId)).to.deep.equal([])
  })
})
