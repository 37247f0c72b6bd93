// The life of a merchant's enrolment of a tool on a platform, like a payment
// provider's capability: requested, under review, active, or inactive (closed
// or refused). Every status change goes through `canMove`, and only ACTIVE
// counts as opted in.
export type EnrolmentStatus = 'REQUESTED' | 'PENDING_REVIEW' | 'ACTIVE' | 'INACTIVE';

const NEXT: Readonly<Record<EnrolmentStatus, readonly EnrolmentStatus[]>> = {
  REQUESTED: ['PENDING_REVIEW', 'INACTIVE'],
  PENDING_REVIEW: ['ACTIVE', 'INACTIVE'],
  ACTIVE: ['INACTIVE'],
  // Opening a closed tool again starts a new request.
  INACTIVE: ['REQUESTED'],
};

/** `from` null is an enrolment that does not exist yet: it can only start as REQUESTED. */
export function canMove(from: EnrolmentStatus | null, to: EnrolmentStatus): boolean {
  return from === null ? to === 'REQUESTED' : NEXT[from].includes(to);
}

/** The statuses `closePaymentTool` ends: anything not already INACTIVE. */
export const CLOSABLE: readonly EnrolmentStatus[] = ['REQUESTED', 'PENDING_REVIEW', 'ACTIVE'];
