import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Ajv, { type ErrorObject } from 'ajv'
import YAML from 'yaml'
import {
  FLAG_TYPES,
  FRAMEWORK_NAMES,
  NOMIS_CODE_TYPES,
  QUESTION_TYPES,
  type FlagType,
  type Framework,
  type FrameworkFlag,
  type FrameworkName,
  type FrameworkNomisCode,
  type FrameworkQuestion,
  type NomisCodeType,
  type QuestionType,
} from './frameworks'

/**
 * Framework definitions as files (issue #15): `frameworks/<name>/<version>/framework.yaml` lists the
 * sections in order, and each section is `<section>.yaml` with its questions. The shape of a question
 * in a file (checked by {@link questionSchema}):
 *
 * ```yaml
 * - key: violence-towards-staff      # unique in the version; what prefill matches across versions
 *   type: radio                      # radio | checkbox | text | textarea | add_multiple_items
 *   question: Has the person ...?    # our wording, for people reading the file
 *   required: true                   # a blank answer is refused (default false)
 *   prefill: true                    # copied from the person's previous confirmed assessment
 *   nomis: { alert: [RSS, XB] }      # NOMIS codes that prefill it, by type; fallback: [alert]
 *   options:                         # radio and checkbox only
 *     - value: 'Yes'
 *       comment: required            # a follow-up comment: optional | required
 *       flag: { type: alert, title: Violent towards staff }
 *       followups: [ ...questions ]  # shown when this option is selected
 *     - value: 'No'
 *   items: [ ...questions ]          # add_multiple_items only: the questions of each item
 * ```
 *
 * The digest covers the sections' parsed content (wording included), so that any change to a loaded
 * version is seen at the next start.
 */

export const DEFAULT_FRAMEWORKS_DIRECTORY = path.join(__dirname, '..', '..', 'frameworks')

type FileOption = {
  value: string
  comment?: 'optional' | 'required'
  flag?: { type: FlagType; title: string }
  followups?: FileQuestion[]
}

type FileQuestion = {
  key: string
  type: QuestionType
  question: string
  hint?: string
  required?: boolean
  prefill?: boolean
  nomis?: Partial<Record<NomisCodeType, string[]>> & { fallback?: NomisCodeType[] }
  options?: FileOption[]
  items?: FileQuestion[]
}

const KEY = '^[a-z0-9]+(-[a-z0-9]+)*$'

const questionSchema = {
  $id: 'framework-section',
  type: 'object',
  additionalProperties: false,
  required: ['questions'],
  properties: {
    questions: { type: 'array', minItems: 1, items: { $ref: '#/$defs/question' } },
  },
  $defs: {
    question: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'type', 'question'],
      properties: {
        key: { type: 'string', pattern: KEY },
        type: { enum: [...QUESTION_TYPES] },
        question: { type: 'string', minLength: 1 },
        hint: { type: 'string', minLength: 1 },
        required: { type: 'boolean' },
        prefill: { type: 'boolean' },
        nomis: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            ...Object.fromEntries(
              NOMIS_CODE_TYPES.map(type => [
                type,
                { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[A-Z0-9_]+$' } },
              ]),
            ),
            fallback: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...NOMIS_CODE_TYPES] } },
          },
        },
        options: { type: 'array', minItems: 2, items: { $ref: '#/$defs/option' } },
        items: { type: 'array', minItems: 1, items: { $ref: '#/$defs/question' } },
      },
      allOf: [
        {
          if: { properties: { type: { enum: ['radio', 'checkbox'] } } },
          then: { required: ['options'], properties: { items: false } },
        },
        {
          if: { properties: { type: { const: 'add_multiple_items' } } },
          then: { required: ['items'], properties: { options: false } },
        },
        {
          if: { properties: { type: { enum: ['text', 'textarea'] } } },
          then: { properties: { options: false, items: false } },
        },
      ],
    },
    option: {
      type: 'object',
      additionalProperties: false,
      required: ['value'],
      properties: {
        value: { type: 'string', minLength: 1 },
        comment: { enum: ['optional', 'required'] },
        flag: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'title'],
          properties: { type: { enum: [...FLAG_TYPES] }, title: { type: 'string', minLength: 1 } },
        },
        followups: { type: 'array', minItems: 1, items: { $ref: '#/$defs/question' } },
      },
    },
  },
}

const manifestSchema = {
  $id: 'framework-manifest',
  type: 'object',
  additionalProperties: false,
  required: ['sections'],
  properties: {
    sections: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: KEY } },
  },
}

/** Compiled once per process; ajv is stateless after compiling. */
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false })
const validateSection = ajv.compile<{ questions: FileQuestion[] }>(questionSchema)
const validateManifest = ajv.compile<{ sections: string[] }>(manifestSchema)

/** A framework file that cannot be loaded: the message names the file and the path in it. */
export class FrameworkFileError extends Error {}

/** A question as loaded from the files, ready to be stored: a stored question less what the database derives. */
export type DefinedQuestion = Omit<FrameworkQuestion, 'framework_id' | 'dependent_ids' | 'flag_ids'>

/** One framework version read from its folder: rows to store, and the digest of what was read. */
export type FrameworkDefinition = {
  name: FrameworkName
  version: string
  directory: string
  /** SHA-256 (hex) of the parsed files: any change to a version's content changes it. */
  digest: string
  questions: DefinedQuestion[]
  flags: FrameworkFlag[]
  nomisCodes: FrameworkNomisCode[]
}

function describe(errors: ErrorObject[] | null | undefined): string {
  // A member a question type does not take fails a `false` schema, whose own message says nothing.
  const message = (e: ErrorObject) =>
    e.keyword === 'false schema' ? 'is not allowed for this question type' : e.message
  return (errors ?? [])
    .filter(e => e.keyword !== 'if')
    .map(e => `${e.instancePath || '/'} ${message(e)}`)
    .join('; ')
}

function readYaml(file: string, shown: string): unknown {
  try {
    return YAML.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new FrameworkFileError(`${shown}: ${(err as Error).message}`)
  }
}

/** One section of a framework version as written: its key, its questions, and where it was read from. */
export type SectionSource = { key: string; content: unknown; source: string }

/**
 * Checks a framework version's sections (each against the schema, then keys unique in the version,
 * options unique in a question, each NOMIS code and fallback type mapped once) and turns them into
 * the rows to store, with new ids. Throws {@link FrameworkFileError} naming the section's source
 * and the path in it. `directory` and the digest's input (`parsed`) are the caller's.
 */
export function defineFramework(
  name: FrameworkName,
  version: string,
  sections: SectionSource[],
  directory = '',
): FrameworkDefinition {
  const definition: FrameworkDefinition = {
    name,
    version,
    directory,
    digest: createHash('sha256')
      .update(JSON.stringify(sections.map(s => [s.key, s.content])))
      .digest('hex'),
    questions: [],
    flags: [],
    nomisCodes: [],
  }
  const keys = new Map<string, string>()
  const nomisCodes = new Map<string, string>()
  const mapOnce = (key: string, where: string, what: string) => {
    const mapped = nomisCodes.get(key)
    // A NOMIS fact prefills one question: a code named twice would make its question a guess.
    if (mapped) throw new FrameworkFileError(`${where}/nomis ${what} is already mapped at ${mapped}`)
    nomisCodes.set(key, where)
  }
  for (const { key: section, content, source } of sections) {
    if (!validateSection(content)) throw new FrameworkFileError(`${source}: ${describe(validateSection.errors)}`)
    const add = (question: FileQuestion, at: string, parent: DefinedQuestion | null, dependentValue: string | null) => {
      const where = `${source}: ${at}`
      const seen = keys.get(question.key)
      if (seen) throw new FrameworkFileError(`${where}/key ${question.key} is already used at ${seen}`)
      keys.set(question.key, where)
      const options = question.options ?? []
      const row: DefinedQuestion = {
        id: randomUUID(),
        key: question.key,
        section,
        question_type: question.type,
        options: options.map(o => o.value),
        required: question.required ?? false,
        prefill: question.prefill ?? false,
        parent_id: parent?.id ?? null,
        dependent_value: dependentValue,
        followup_comment: options.some(o => o.comment),
        followup_comment_options: options.filter(o => o.comment === 'required').map(o => o.value),
        position: definition.questions.length,
      }
      if (new Set(row.options).size !== row.options.length) {
        throw new FrameworkFileError(`${where}/options offers one value twice`)
      }
      definition.questions.push(row)
      for (const option of options) {
        if (!option.flag) continue
        definition.flags.push({
          id: randomUUID(),
          framework_question_id: row.id,
          flag_type: option.flag.type,
          title: option.flag.title,
          question_value: option.value,
        })
      }
      const { fallback, ...codes } = question.nomis ?? {}
      for (const [codeType, list] of Object.entries(codes)) {
        for (const code of list ?? []) {
          mapOnce(`${codeType}:${code}`, where, `${codeType} ${code}`)
          const type = codeType as NomisCodeType
          definition.nomisCodes.push({
            id: randomUUID(),
            framework_question_id: row.id,
            code_type: type,
            code,
            fallback: false,
          })
        }
      }
      for (const type of fallback ?? []) {
        mapOnce(`${type}:fallback`, where, `fallback ${type}`)
        definition.nomisCodes.push({
          id: randomUUID(),
          framework_question_id: row.id,
          code_type: type,
          code: null,
          fallback: true,
        })
      }
      options.forEach((option, o) =>
        option.followups?.forEach((child, c) => add(child, `${at}/options/${o}/followups/${c}`, row, option.value)),
      )
      question.items?.forEach((child, c) => add(child, `${at}/items/${c}`, row, null))
    }
    content.questions.forEach((question, q) => add(question, `/questions/${q}`, null, null))
  }
  return definition
}

/**
 * Reads and checks one version folder (see {@link defineFramework}). Throws
 * {@link FrameworkFileError} naming the file and the path in it, also for a section file missing or
 * a file that is no listed section.
 */
export function readFrameworkVersion(root: string, name: FrameworkName, version: string): FrameworkDefinition {
  const directory = path.join(root, name, version)
  const shown = (file: string) => path.relative(path.dirname(root), path.join(directory, file))
  const manifest = readYaml(path.join(directory, 'framework.yaml'), shown('framework.yaml'))
  if (!validateManifest(manifest)) {
    throw new FrameworkFileError(`${shown('framework.yaml')}: ${describe(validateManifest.errors)}`)
  }
  const expected = new Set(['framework.yaml', ...manifest.sections.map(s => `${s}.yaml`)])
  const extra = fs.readdirSync(directory).filter(file => !expected.has(file))
  if (extra.length) {
    throw new FrameworkFileError(`${shown(extra[0]!)}: not a section listed in ${shown('framework.yaml')}`)
  }
  const sections = manifest.sections.map(key => {
    const file = `${key}.yaml`
    if (!fs.existsSync(path.join(directory, file))) {
      throw new FrameworkFileError(`${shown(file)}: missing; ${shown('framework.yaml')} lists section ${key}`)
    }
    return { key, content: readYaml(path.join(directory, file), shown(file)), source: shown(file) }
  })
  return defineFramework(name, version, sections, directory)
}

/**
 * A definition as the stored framework it becomes (see ./frameworks.ts), without the database: what
 * the pure functions' tests build their frameworks with.
 */
export function frameworkOf(definition: FrameworkDefinition, id: string = randomUUID()): Framework {
  const questions = definition.questions.map(q => ({
    ...q,
    framework_id: id,
    dependent_ids: definition.questions.filter(d => d.parent_id === q.id).map(d => d.id),
    flag_ids: definition.flags.filter(f => f.framework_question_id === q.id).map(f => f.id),
  }))
  return {
    id,
    name: definition.name,
    version: definition.version,
    sections: [...new Set(questions.map(q => q.section))],
    questions,
    flags: definition.flags,
    nomisCodes: definition.nomisCodes,
  }
}

/** Every version folder under `root` (`<name>/<version>/`), read and checked; see {@link readFrameworkVersion}. */
export function readFrameworkDefinitions(root: string = DEFAULT_FRAMEWORKS_DIRECTORY): FrameworkDefinition[] {
  const definitions: FrameworkDefinition[] = []
  for (const name of fs.readdirSync(root).sort()) {
    if (!(FRAMEWORK_NAMES as readonly string[]).includes(name)) {
      throw new FrameworkFileError(
        `${path.join(path.basename(root), name)}: not a framework name (${FRAMEWORK_NAMES.join(', ')})`,
      )
    }
    for (const version of fs.readdirSync(path.join(root, name)).sort()) {
      if (!/^\d+\.\d+\.\d+$/.test(version)) {
        throw new FrameworkFileError(
          `${path.join(path.basename(root), name, version)}: a version folder is named MAJOR.MINOR.PATCH`,
        )
      }
      definitions.push(readFrameworkVersion(root, name as FrameworkName, version))
    }
  }
  return definitions
}
