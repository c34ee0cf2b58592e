import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import type { ApiClient } from '../auth/clients'
import { DomainError, attribute, relationship } from '../errors'
import { groupIds, scopeToSupplier } from '../moves/rows'
import type { Write } from '../write'

/**
 * The largest file POST /api/documents takes: 10 MiB (10,485,760 bytes), enough for a scanned
 * warrant or court order of several pages. A larger one is 413 before anything is stored.
 */
export const DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

/**
 * The kinds of file a document may be, each recognised by its first bytes (its "magic number"), never
 * by the name or the type the client claims: PDF (`%PDF-`), PNG (the 8-byte PNG signature), JPEG
 * (`FF D8 FF`) and GIF (`GIF87a` / `GIF89a`). A small check of our own rather than the `file-type`
 * package, which is ESM only and recognises hundreds of types where we accept four.
 */
const SIGNATURES: { contentType: string; magic: number[] }[] = [
  { contentType: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { contentType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { contentType: 'image/jpeg', magic: [0xff, 0xd8, 0xff] },
  { contentType: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61] },
  { contentType: 'image/gif', magic: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] },
]

/** The content types documents may have, in the order SIGNATURES recognises them. */
export const DOCUMENT_CONTENT_TYPES = [...new Set(SIGNATURES.map(s => s.contentType))]

/** The content type a file's first bytes show, or undefined when it is none of DOCUMENT_CONTENT_TYPES. */
export function sniffContentType(content: Buffer): string | undefined {
  return SIGNATURES.find(s => s.magic.length <= content.length && s.magic.every((byte, i) => content[i] === byte))
    ?.contentType
}

/** A document as the API shows it: who it is for and what it is, never its bytes. */
export type DocumentRow = {
  id: string
  profile_id: string | null
  filename: string
  content_type: string
  filesize: number
  created_at: Date
  updated_at: Date
}

const COLUMNS = ['d.id', 'd.profile_id', 'd.filename', 'd.content_type', 'd.filesize', 'd.created_at', 'd.updated_at']

/** An uploaded file as the multipart parser handed it over. */
export type UploadedFile = { filename: string; content: Buffer }

/**
 * The documents a client may see. A client with no supplier (the frontend) sees all. A supplier's
 * sees those its own clients uploaded, and those attached to a profile a move it can see carries
 * (lib/moves/rows scopeToSupplier): the supplier scoping of documents goes through the move, as the
 * reference's does.
 */
function scopeDocuments(tx: Tx, query: Knex.QueryBuilder, client: Pick<ApiClient, 'supplierId'>): Knex.QueryBuilder {
  const { supplierId } = client
  if (!supplierId) return query
  return query.where(q =>
    q
      .whereIn('d.api_client_id', tx('api_clients').where({ supplier_id: supplierId }).select('id'))
      .orWhereExists(scopeToSupplier(tx('moves as m').select(1).whereRaw('m.profile_id = d.profile_id'), supplierId)),
  )
}

const notFound = (id: string, subject?: ReturnType<typeof relationship>) =>
  new DomainError('not_found', `Couldn't find Document with 'id'=${id}`, subject ? { subject } : {})

/**
 * Stores an uploaded file as a new, unattached document. Throws `unprocessable_entity` (422) at
 * `data.attributes.file` when no file or an empty one was sent, or when its content is not one of
 * DOCUMENT_CONTENT_TYPES (the size limit is the multipart parser's, api/setUpMultipart.ts).
 */
export async function createDocument(
  w: Write,
  file: UploadedFile | undefined,
  client: Pick<ApiClient, 'id'>,
  now: Date,
): Promise<DocumentRow> {
  const at = { subject: attribute('file') }
  if (!file) throw new DomainError('unprocessable_entity', "File can't be blank", at)
  if (file.content.length === 0) throw new DomainError('unprocessable_entity', 'File must not be empty', at)
  const contentType = sniffContentType(file.content)
  if (!contentType) {
    throw new DomainError(
      'unprocessable_entity',
      `File must be one of ${DOCUMENT_CONTENT_TYPES.join(', ')}, as its content shows`,
      at,
    )
  }
  const id = crypto.randomUUID()
  await w.tx('documents').insert({
    id,
    profile_id: null,
    api_client_id: client.id,
    filename: file.filename,
    content_type: contentType,
    filesize: file.content.length,
    content: file.content,
    created_at: now,
    updated_at: now,
  })
  return findDocument(w.tx, id, { supplierId: null })
}

/** A document the client may see; 404 for any other, as for a move outside its scope. */
export async function findDocument(tx: Tx, id: string, client: Pick<ApiClient, 'supplierId'>): Promise<DocumentRow> {
  const row = (await scopeDocuments(tx, tx('documents as d').select(COLUMNS), client).where('d.id', id).first()) as
    DocumentRow | undefined
  if (!row) throw notFound(id)
  return row
}

/** A document's bytes and what they are, for its download; 404 as findDocument. */
export async function documentContent(
  tx: Tx,
  id: string,
  client: Pick<ApiClient, 'supplierId'>,
): Promise<DocumentRow & { content: Buffer }> {
  const row = (await scopeDocuments(tx, tx('documents as d').select([...COLUMNS, 'd.content']), client)
    .where('d.id', id)
    .first()) as (DocumentRow & { content: Buffer | Uint8Array }) | undefined
  if (!row) throw notFound(id)
  // PGlite hands bytea back as a Uint8Array, pg as a Buffer.
  return { ...row, content: Buffer.from(row.content) }
}

export async function loadDocuments(tx: Tx, ids: string[]): Promise<DocumentRow[]> {
  return tx('documents as d').select(COLUMNS).whereIn('d.id', ids)
}

/** Each profile's documents, oldest first. */
export async function documentIdsByProfile(tx: Tx, profileIds: string[]): Promise<Map<string, string[]>> {
  return groupIds(
    await tx('documents')
      .whereIn('profile_id', profileIds)
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .select('profile_id as parent_id', 'id'),
  )
}

/**
 * Makes `documentIds` the profile's documents, as the profile's `documents` relationship sets them: each
 * must be one the client may see (else 404 at the relationship) and is taken off any profile it was on;
 * the profile's documents not listed are detached, kept for their uploader. The caller has checked the
 * client may change the profile (x-write-scope).
 */
export async function setProfileDocuments(
  w: Write,
  profileId: string,
  documentIds: string[],
  client: Pick<ApiClient, 'supplierId'>,
  now: Date,
): Promise<void> {
  const { tx } = w
  const ids = [...new Set(documentIds)]
  const visible = (await scopeDocuments(tx, tx('documents as d').select('d.id'), client).whereIn('d.id', ids)) as {
    id: string
  }[]
  const found = new Set(visible.map(row => row.id))
  const missing = ids.find(id => !found.has(id))
  if (missing) throw notFound(missing, relationship('documents'))
  await tx('documents')
    .where({ profile_id: profileId })
    .whereNotIn('id', ids)
    .update({ profile_id: null, updated_at: now })
  if (ids.length) await tx('documents').whereIn('id', ids).update({ profile_id: profileId, updated_at: now })
}
