import type { Tx } from '../../db/client'
import { DomainError } from '../errors'

export type CodeDesc = { code: string; desc: string }

/** NOMIS code tables the prisoner records refer to, by domain: code -> description. */
export const referenceCodes: Record<string, Record<string, string>> = {
  GENDER: { M: 'Male', F: 'Female', NK: 'Not Known', NS: 'Not Specified (Indeterminate)' },
  RELIGION: {
    ATHE: 'Atheist',
    ADV: 'Adventist',
    CHRST: 'Christian',
    CE: 'Church of England',
    RC: 'Roman Catholic',
    MOS: 'Muslim',
    SIKH: 'Sikh',
    HIND: 'Hindu',
    JEW: 'Jewish',
    BUDD: 'Buddhist',
    NIL: 'No Religion',
  },
  ETHNICITY: {
    W1: 'White: Eng./Welsh/Scot./N.Irish/British',
    W2: 'White: Irish',
    W9: 'White: Any other background',
    M1: 'Mixed: White and Black Caribbean',
    A1: 'Asian/Asian British: Indian',
    A2: 'Asian/Asian British: Pakistani',
    B1: 'Black/Black British: Caribbean',
    B2: 'Black/Black British: African',
    O9: 'Other: Any other background',
  },
  LANGUAGE: { ENG: 'English', LAV: 'Latvian', POL: 'Polish', URD: 'Urdu', ROM: 'Romanian', WEL: 'Welsh' },
  CSRA: { HI: 'High', STANDARD: 'Standard', LOW: 'Low' },
  IMPRISONMENT_STATUS: {
    SENT03: 'Adult Imprisonment Without Option CJA03',
    RX: 'Remanded to Magistrates Court',
    UNK_SENT: 'Unknown Sentenced',
    UNKNOWN: 'Disposal Not Known',
    LR: 'Recalled to Prison from Parole (Non HDC)',
  },
  IEP_LEVEL: { BAS: 'Basic', STD: 'Standard', ENH: 'Enhanced' },
  DIET: { DIAB: 'Medical - Diabetic', VEG: 'Vegetarian', HAL: 'Halal', STD: 'Standard' },
  SECURITY_CATEGORY: { A: 'Cat A', B: 'Cat B', C: 'Cat C', D: 'Cat D' },
  ALERT_TYPE: { X: 'Security', R: 'Risk', H: 'Self Harm', M: 'Medical', P: 'MAPPP Case', T: 'Hold Against Transfer' },
  ALERT_CODE: {
    XEL: 'Escape List',
    XB: 'Bully',
    XA: 'Arsonist',
    RKS: 'Risk to Known Adult - Custody',
    RSS: 'Risk to Staff - Custody',
    HA: 'ACCT Open (HMPS)',
    HC: 'ACCT Closed (HMPS)',
    MAS: 'Asthmatic',
    PC1: 'MAPPA Level 1 Category 1',
    TAH: 'Hold Against Transfer - Awaiting Home Detention',
  },
  DISCHARGE_REASON: {
    CR: 'Conditional Release',
    MRG: 'Administrative Release due to Merge',
    ESCP: 'Escaped',
    SENT: 'Completed Sentence',
    TRN: 'Transfer Out to Other Establishment',
  },
  ACCOUNT: { SPND: 'Spends', REG: 'Private Cash', SAV: 'Savings' },
}

export function referenceCodeRows(): { domain: string; code: string; description: string }[] {
  return Object.entries(referenceCodes).flatMap(([domain, codes]) =>
    Object.entries(codes).map(([code, description]) => ({ domain, code, description })),
  )
}

/** Loads every description a record needs in one query; an unknown code keeps its code as the description. */
export async function codeDescriber(
  tx: Tx,
  wanted: [domain: string, code: string | null | undefined][],
): Promise<(domain: string, code: string | null | undefined) => CodeDesc | undefined> {
  const pairs = wanted.filter((w): w is [string, string] => Boolean(w[1]))
  const rows: { domain: string; code: string; description: string }[] = pairs.length
    ? await tx('nomis_reference_codes').whereIn(['domain', 'code'], pairs).select('domain', 'code', 'description')
    : []
  const found = new Map(rows.map(r => [`${r.domain}/${r.code}`, r.description]))
  return (domain, code) => (code ? { code, desc: found.get(`${domain}/${code}`) ?? code } : undefined)
}

/** Refuses a code that is not in its NOMIS code table, naming the field it came in. */
export async function requireCodes(tx: Tx, wanted: [domain: string, code: string | null | undefined, field: string][]) {
  for (const [domain, code, field] of wanted) {
    if (code === null || code === undefined) continue
    const found = await tx('nomis_reference_codes').where({ domain, code }).first('code')
    if (!found) throw new DomainError('unprocessable_entity', `Unknown ${field} ${code}`)
  }
}
