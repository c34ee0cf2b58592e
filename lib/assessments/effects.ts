import type { AssessmentEffect, AssessmentNotification } from '../../machines/assessment'
import { recordEvent, type EventRecord } from '../events/record'
import type { AssessmentEventType } from '../notifications/outbox'
import type { Write } from '../write'
import { ASSESSMENT_TYPES, type AssessmentKind } from './scope'

/** The timeline event each recording effect writes, per kind (the reference names the PER ones; the YRA ones are ours). */
const EVENT_TYPES: Record<AssessmentKind, Record<Exclude<AssessmentEffect['type'], 'notify'>, string>> = {
  person_escort_record: {
    recordCompletion: 'PerCompletion',
    recordAmendment: 'PerUpdated',
    recordConfirmation: 'PerConfirmation',
    recordHandover: 'PerHandover',
  },
  youth_risk_assessment: {
    recordCompletion: 'YraCompletion',
    recordAmendment: 'YraUpdated',
    recordConfirmation: 'YraConfirmation',
    recordHandover: 'YraConfirmation',
  },
}

/**
 * The notification each kind sends (reference §2.9). A youth risk assessment has no amendment or
 * handover of its own in the reference: an amended one is announced as completed again.
 */
const NOTIFICATIONS: Record<AssessmentKind, Record<AssessmentNotification, AssessmentEventType>> = {
  person_escort_record: {
    complete: 'complete_person_escort_record',
    amend: 'amend_person_escort_record',
    confirm: 'confirm_person_escort_record',
    handover: 'handover_person_escort_record',
  },
  youth_risk_assessment: {
    complete: 'complete_youth_risk_assessment',
    amend: 'complete_youth_risk_assessment',
    confirm: 'confirm_youth_risk_assessment',
    handover: 'confirm_youth_risk_assessment',
  },
}

/** The facts the events carry: who answered which sections, and the handover. */
export type EffectFacts = {
  responses?: { by: string; sections: string[] }
  handover?: Record<string, unknown>
  handoverOccurredAt?: Date
}

/**
 * Carries out the machine's effects for one assessment, in the caller's transaction: each recording
 * effect writes its event on the move's timeline (a person escort record's events are about the record,
 * a youth risk assessment's about its move, the only eventables the event log has), and `notify` tells
 * the move's supplier through the outbox. An assessment with no move records and sends nothing.
 */
export async function recordAssessmentEffects(
  w: Write,
  assessment: { id: string; kind: AssessmentKind; move_id: string | null },
  effects: AssessmentEffect[],
  client: { id: string; supplierId: string | null },
  now: Date,
  facts: EffectFacts,
): Promise<void> {
  const moveId = assessment.move_id
  if (!moveId) return
  const eventable: EventRecord['eventable'] =
    assessment.kind === 'person_escort_record'
      ? { type: ASSESSMENT_TYPES.person_escort_record, id: assessment.id }
      : { type: 'moves', id: moveId }
  const responded = facts.responses
    ? Object.fromEntries(facts.responses.sections.map(section => [section, [facts.responses!.by]]))
    : {}
  for (const effect of effects) {
    if (effect.type === 'notify') {
      await w.outbox.notifyAssessment(w.tx, {
        moveId,
        assessmentId: assessment.id,
        eventType: NOTIFICATIONS[assessment.kind][effect.params.kind],
        at: now,
      })
      continue
    }
    const base = {
      eventType: EVENT_TYPES[assessment.kind][effect.type],
      moveId,
      eventable,
      occurredAt: now,
      recordedAt: now,
      notes: 'Automatically generated event',
      by: { clientId: client.id, supplierId: client.supplierId },
    }
    const youth = assessment.kind === 'youth_risk_assessment' ? { youth_risk_assessment_id: assessment.id } : {}
    switch (effect.type) {
      case 'recordCompletion':
        await recordEvent(w, { ...base, details: { ...youth, completed_at: now.toISOString(), responded_by: responded } })
        break
      case 'recordAmendment':
        await recordEvent(w, {
          ...base,
          details: { ...youth, responded_by: responded, section: facts.responses?.sections ?? [] },
        })
        break
      case 'recordConfirmation':
        await recordEvent(w, { ...base, details: { ...youth, confirmed_at: now.toISOString() } })
        break
      case 'recordHandover':
        await recordEvent(w, {
          ...base,
          occurredAt: facts.handoverOccurredAt ?? now,
          details: { ...youth, ...facts.handover },
          relationships: { location: (facts.handover?.location_id as string | null | undefined) ?? null },
        })
        break
    }
  }
}
