/**
 * Why a move, an allocation or a lodging was cancelled: a reason from the list its body's contract
 * declares (openapi.yaml CancellationReason for moves and allocations, the reference's list), and the
 * comment that says more, required when the reason is `other`.
 */
export type Cancellation = { reason: string; comment: string | null }
