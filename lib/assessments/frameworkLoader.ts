import type { Db } from '../../db/client'
import { DEFAULT_FRAMEWORKS_DIRECTORY, readFrameworkDefinitions, type FrameworkDefinition } from './frameworkFiles'

/** A version's files differ from what was loaded for it: the process must not start. */
export class FrameworkChangedError extends Error {}

/** Inserts of this many rows at most per statement, well under PostgreSQL's bind parameter limit. */
const CHUNK = 500

/**
 * Stores one version unless (name, version) is already there, in one transaction. Two processes
 * starting together both try: the unique (name, version) makes the second insert wait for the first
 * transaction and then do nothing, so a version is stored once, whole. When it was already there,
 * its stored digest must be the files' digest.
 */
async function loadVersion(db: Db, definition: FrameworkDefinition): Promise<'loaded' | 'unchanged'> {
  return db.transaction(async tx => {
    const inserted = await tx('frameworks')
      .insert({
        id: crypto.randomUUID(),
        name: definition.name,
        version: definition.version,
        digest: definition.digest,
      })
      .onConflict(['name', 'version'])
      .ignore()
      .returning('id')
    if (!inserted.length) {
      const stored = await tx('frameworks')
        .where({ name: definition.name, version: definition.version })
        .first('digest')
      if (stored.digest !== definition.digest) {
        throw new FrameworkChangedError(
          `the files of framework ${definition.name} ${definition.version} (${definition.directory}) differ from the version already loaded; a loaded version never changes: put the change in a new version folder`,
        )
      }
      return 'unchanged'
    }
    const frameworkId = (inserted[0] as { id: string }).id
    const questions = definition.questions.map(q => ({
      ...q,
      framework_id: frameworkId,
      options: JSON.stringify(q.options),
      followup_comment_options: JSON.stringify(q.followup_comment_options),
    }))
    // Parents come before their dependents, so each chunk's parent_id references rows already there.
    for (let i = 0; i < questions.length; i += CHUNK)
      await tx('framework_questions').insert(questions.slice(i, i + CHUNK))
    for (let i = 0; i < definition.flags.length; i += CHUNK)
      await tx('framework_flags').insert(definition.flags.slice(i, i + CHUNK))
    for (let i = 0; i < definition.nomisCodes.length; i += CHUNK)
      await tx('framework_nomis_codes').insert(definition.nomisCodes.slice(i, i + CHUNK))
    return 'loaded'
  })
}

/**
 * Loads the framework versions of the repository's `frameworks/` folder (or `directory`) into the
 * database, at start: a version not stored yet is inserted; a stored one is left as it is, after
 * checking that its files have not changed. Throws FrameworkFileError (a bad file, naming it and the
 * path in it; every file is read and checked before anything is written) or FrameworkChangedError:
 * start-up must stop.
 * Idempotent, and safe when several processes start together. Answers the versions inserted now.
 */
export async function loadFrameworks(
  db: Db,
  directory: string = DEFAULT_FRAMEWORKS_DIRECTORY,
): Promise<{ name: string; version: string }[]> {
  const definitions = readFrameworkDefinitions(directory)
  const loaded: { name: string; version: string }[] = []
  for (const definition of definitions) {
    if ((await loadVersion(db, definition)) === 'loaded')
      loaded.push({ name: definition.name, version: definition.version })
  }
  return loaded
}
