/** Process exit codes (docs/DESIGN.md §9). */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  internal: 3,
  /** `notify send`: a notification could not be delivered (the receiver, not Warden, failed). */
  undelivered: 4,
} as const;
