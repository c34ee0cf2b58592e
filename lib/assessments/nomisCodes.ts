import type { Framework, FrameworkNomisCode, FrameworkQuestion, NomisCodeType } from './frameworks'

/**
 * Which question a NOMIS fact prefills (issue #15; reference §2.2, §2.6): the question that names its
 * (code type, code); else the question holding the fallback of its code type; else none. `fallback`
 * tells the caller that no question named the code (the reference reports such codes as new).
 */
export function questionForNomisCode(
  framework: Framework,
  codeType: NomisCodeType,
  code: string,
): { question: FrameworkQuestion; fallback: boolean } | undefined {
  const named = (c: FrameworkNomisCode) =>
    c.code_type === codeType && !c.fallback && c.code === code.trim().toUpperCase()
  const mapping =
    framework.nomisCodes.find(named) ?? framework.nomisCodes.find(c => c.code_type === codeType && c.fallback)
  if (!mapping) return undefined
  return {
    question: framework.questions.find(q => q.id === mapping.framework_question_id)!,
    fallback: mapping.fallback,
  }
}
