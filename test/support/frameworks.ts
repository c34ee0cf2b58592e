import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import YAML from 'yaml'
import { defineFramework, frameworkOf } from '../../lib/assessments/frameworkFiles'
import { respondableQuestions, type Framework, type FrameworkQuestion } from '../../lib/assessments/frameworks'
import type { ResponseState } from '../../lib/assessments/progress'

/**
 * A small framework for the pure rules' tests, written as a framework file would be (see
 * lib/assessments/frameworkFiles.ts), with every question type:
 * - risks: `violent` (radio, comment required on Yes, alert flag) shows `violent-towards`
 *   (checkbox) on Yes, which shows `violent-other` (text) on Other, two levels down;
 *   `escape` (radio, warning flag); `risk-notes` (optional textarea).
 * - health: `medication` (add_multiple_items of `medicine` text, `carried-by` radio, optional
 *   `medicine-notes` textarea); `diet` (checkbox with comments, Other's required, an information
 *   flag on Vegan); `allergy` (radio, optional comment, attention flag).
 */
export function testFramework(): Framework {
  const definition = defineFramework('person-escort-record', '0.1.0', [
    {
      key: 'risks',
      source: 'risks.yaml',
      content: {
        questions: [
          {
            key: 'violent',
            type: 'radio',
            question: 'Violent?',
            required: true,
            options: [
              {
                value: 'Yes',
                comment: 'required',
                flag: { type: 'alert', title: 'Violent' },
                followups: [
                  {
                    key: 'violent-towards',
                    type: 'checkbox',
                    question: 'Towards whom?',
                    required: true,
                    options: [
                      { value: 'Staff' },
                      { value: 'Public' },
                      {
                        value: 'Other',
                        followups: [{ key: 'violent-other', type: 'text', question: 'Who?', required: true }],
                      },
                    ],
                  },
                ],
              },
              { value: 'No' },
            ],
          },
          {
            key: 'escape',
            type: 'radio',
            question: 'Escape risk?',
            required: true,
            options: [{ value: 'Yes', flag: { type: 'warning', title: 'Escape' } }, { value: 'No' }],
          },
          { key: 'risk-notes', type: 'textarea', question: 'Notes' },
        ],
      },
    },
    {
      key: 'health',
      source: 'health.yaml',
      content: {
        questions: [
          {
            key: 'medication',
            type: 'add_multiple_items',
            question: 'Medication',
            required: true,
            items: [
              { key: 'medicine', type: 'text', question: 'Medicine', required: true },
              {
                key: 'carried-by',
                type: 'radio',
                question: 'Carried by',
                required: true,
                options: [{ value: 'Person' }, { value: 'Escort' }],
              },
              { key: 'medicine-notes', type: 'textarea', question: 'Notes' },
            ],
          },
          {
            key: 'diet',
            type: 'checkbox',
            question: 'Diet',
            options: [
              { value: 'Halal', comment: 'optional' },
              { value: 'Vegan', flag: { type: 'information', title: 'Vegan' } },
              { value: 'Other', comment: 'required' },
            ],
          },
          {
            key: 'allergy',
            type: 'radio',
            question: 'Allergy?',
            required: true,
            options: [
              { value: 'Yes', comment: 'optional', flag: { type: 'attention', title: 'Allergy' } },
              { value: 'No' },
            ],
          },
        ],
      },
    },
  ])
  return frameworkOf(definition)
}

/** The framework's question with `key`; throws when there is none, so a typo fails the test. */
export function question(framework: Framework, key: string): FrameworkQuestion {
  const found = framework.questions.find(q => q.key === key)
  if (!found) throw new Error(`no question ${key}`)
  return found
}

/** Values by question id, from values by question key. */
export function valuesByKey(framework: Framework, byKey: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.entries(byKey).map(([key, value]) => [question(framework, key).id, value]))
}

/**
 * A response per question with a response of its own: those named in `answered` (by key) submitted
 * with their values, the others blank and not submitted.
 */
export function responsesOf(framework: Framework, answered: Record<string, unknown>): ResponseState[] {
  return respondableQuestions(framework).map(q => ({
    framework_question_id: q.id,
    value: answered[q.key] ?? null,
    responded: q.key in answered,
  }))
}

/**
 * Writes a framework version folder under `root` (a temporary directory of the test's), as the
 * repository keeps them: `framework.yaml` listing the sections, and one file per section.
 */
export function writeFrameworkFolder(
  root: string,
  name: string,
  version: string,
  sections: Record<string, unknown[]>,
): string {
  const directory = path.join(root, name, version)
  fs.mkdirSync(directory, { recursive: true })
  fs.writeFileSync(path.join(directory, 'framework.yaml'), YAML.stringify({ sections: Object.keys(sections) }))
  for (const [section, questions] of Object.entries(sections)) {
    fs.writeFileSync(path.join(directory, `${section}.yaml`), YAML.stringify({ questions }))
  }
  return directory
}

/** Where this process's framework folders go, removed when it exits. */
const TEMPORARY = path.join(os.tmpdir(), `frameworks-${process.pid}`)
process.once('exit', () => fs.rmSync(TEMPORARY, { recursive: true, force: true }))

/** A new empty `frameworks` directory for framework folders. */
export function frameworksRoot(): string {
  fs.mkdirSync(TEMPORARY, { recursive: true })
  return path.join(fs.mkdtempSync(path.join(TEMPORARY, 'root-')), 'frameworks')
}

/** `count` chains of a radio that shows a radio that shows a text: 3 × count questions, three levels deep. */
export function nestedQuestions(count: number, prefix: string): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}-${i}`,
    type: 'radio',
    question: 'Level one?',
    options: [
      {
        value: 'Yes',
        flag: { type: 'attention', title: `Flag ${i}` },
        followups: [
          {
            key: `${prefix}-${i}-two`,
            type: 'radio',
            question: 'Level two?',
            options: [
              { value: 'Yes', followups: [{ key: `${prefix}-${i}-three`, type: 'text', question: 'Level three' }] },
              { value: 'No' },
            ],
          },
        ],
      },
      { value: 'No' },
    ],
  }))
}
