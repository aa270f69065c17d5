/** Process exit codes (docs/DESIGN.md §9). */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  internal: 3,
} as const;
