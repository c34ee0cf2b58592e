import { createHash } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import multer from 'multer'
import { DOCUMENT_MAX_BYTES, type UploadedFile } from '../lib/documents/documents'
import { DomainError, attribute } from '../lib/errors'
import type { MatchedOperation } from './operationMatch'

declare module 'express-serve-static-core' {
  interface Request {
    /** The file of a multipart/form-data request (api/setUpMultipart), when one was sent. */
    uploadedFile?: UploadedFile
  }
}

type Match = (method: string, path: string) => MatchedOperation | undefined

/** The form field that carries the file, as the reference names it. */
export const FILE_FIELD = 'data[attributes][file]'

const MULTIPART = /^\s*multipart\/form-data\s*(;|$)/i

/** Whether the operation `matched` takes its body as multipart/form-data (openapi.yaml). */
export function takesMultipart(matched: MatchedOperation | undefined): boolean {
  return Boolean(matched?.operation.requestBody?.content?.['multipart/form-data'])
}

/** Whether `req` sends a multipart/form-data body. */
export const isMultipartRequest = (req: Request): boolean => MULTIPART.test(req.get('content-type') ?? '')

/**
 * Parses a multipart/form-data body (multer, held in memory: a file is at most DOCUMENT_MAX_BYTES)
 * for the operations openapi.yaml declares with one, once the client is authenticated and authorised,
 * so that nobody's upload is read before we know they may send it. Text fields become `req.body`
 * (`data[type]` as `{ data: { type } }`) for the contract to check; the one file, in the field
 * `data[attributes][file]`, becomes `req.uploadedFile`. Refusals, in the family's shape:
 * - 413 `payload_too_large` for a file over the limit;
 * - 422 `unprocessable_entity` at `data.attributes.file` for a file in another field, or a second file;
 * - 400 `bad_request` for a body that is not well-formed multipart.
 * express-openapi-validator's own multer is turned off (`fileUploader: false`): it would answer 500
 * for a malformed body.
 */
export function parseMultipart(match: Match) {
  const upload = multer({
    storage: multer.memoryStorage(),
    // Browsers send a file's name as raw UTF-8 in the quoted filename parameter; busboy's default, latin1,
    // turned 'Zoë.pdf' into 'ZoÃ«.pdf'. RFC 5987 filename* parameters are decoded by their own charset.
    defParamCharset: 'utf8',
    limits: { fileSize: DOCUMENT_MAX_BYTES, files: 1, fields: 20, fieldSize: 4096, parts: 21 },
  }).fields([{ name: FILE_FIELD, maxCount: 1 }])
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!isMultipartRequest(req) || !takesMultipart(match(req.method, req.baseUrl + req.path))) return next()
    upload(req, res, err => {
      if (err) return next(multipartError(err))
      const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>
      const file = files[FILE_FIELD]?.[0]
      req.files = undefined
      if (file) req.uploadedFile = { filename: file.originalname, content: file.buffer }
      req.body ??= {}
      next()
    })
  }
}

function multipartError(err: unknown): DomainError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new DomainError('payload_too_large', `File must be at most ${DOCUMENT_MAX_BYTES} bytes`, {
        subject: attribute('file'),
      })
    }
    if (err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT') {
      return new DomainError('unprocessable_entity', `Send one file, in the form field ${FILE_FIELD}`, {
        subject: attribute('file'),
      })
    }
    return new DomainError('bad_request', `The multipart/form-data body is refused: ${err.message}`)
  }
  return new DomainError('bad_request', 'The request body is not well-formed multipart/form-data')
}

/**
 * What the idempotency fingerprint takes of a multipart request: its fields and the SHA-256 of its
 * file, so that the same key with another file is a different request (422), not a replay.
 */
export function multipartFingerprintBody(req: Request): unknown {
  if (!req.uploadedFile) return req.body
  const digest = createHash('sha256').update(req.uploadedFile.content).digest('hex')
  return { fields: req.body, file: { filename: req.uploadedFile.filename, sha256: digest } }
}
