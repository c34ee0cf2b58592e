import type { NextFunction, Request, Response } from 'express'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import jsonApiSchema from '../contract/jsonapi-schema.json'

const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats(ajv)
const validateJsonApi = ajv.compile(jsonApiSchema)

export const violations: string[] = []

/**
 * Media types openapi.yaml declares for successful /api answers besides JSON:API: the GPS track (issue
 * #20), the CSV export and documents' files (issue #21).
 */
const OTHER_REPRESENTATIONS = new Set([
  'application/geo+json',
  'image/svg+xml',
  'text/csv; charset=utf-8',
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
])

/**
 * Sits in front of the app under test and checks every /api response body against the JSON:API
 * schema and its exact media type; the root hook fails the test that caused a violation. Bodies
 * sent through res.json are also checked against openapi.yaml by the validator (NODE_ENV=test).
 */
export function contractRecorder(req: Request, res: Response, next: NextFunction): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response
  res.end = ((...args: unknown[]) => {
    const [chunk] = args
    if (req.originalUrl.startsWith('/api/') && chunk !== undefined && typeof chunk !== 'function') {
      check(req, res, Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk))
    }
    return end(...args)
  }) as typeof res.end
  next()
}

function check(req: Request, res: Response, body: string): void {
  const where = `${req.method} ${req.originalUrl} -> ${res.statusCode}`
  if (res.statusCode === 200 && OTHER_REPRESENTATIONS.has(String(res.getHeader('Content-Type')))) return
  if (res.getHeader('Content-Type') !== 'application/vnd.api+json') {
    violations.push(`${where}: Content-Type was ${String(res.getHeader('Content-Type'))}`)
  }
  if (res.statusCode === 500) violations.push(`${where}: ${body}`)
  let document: unknown
  try {
    document = JSON.parse(body)
  } catch {
    violations.push(`${where}: body is not JSON`)
    return
  }
  if (!validateJsonApi(document)) {
    violations.push(`${where}: not a JSON:API document: ${ajv.errorsText(validateJsonApi.errors)}`)
  }
}
