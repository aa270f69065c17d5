/** What a pipeline trigger reports back, recorded in the audit log next to the finding. */
export interface TriggerResult {
  system: 'jenkins' | 'github';
  /** Where the request was queued (Jenkins queue item, GitHub workflow page). */
  queuedUrl?: string;
  /** The build or run itself, when the system told us within the wait budget. */
  runUrl?: string;
  inputs: Record<string, string>;
}

/** A pipeline the remediation can redeploy through; secrets come from the environment, never from files. */
export interface PipelineTrigger {
  readonly system: TriggerResult['system'];
  /** A description without credentials, for dry runs and logs. */
  describe(inputs: Record<string, string>): string;
  trigger(inputs: Record<string, string>): Promise<TriggerResult>;
}

/** A pipeline answered with something other than success; the message never carries credentials. */
export class TriggerError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TriggerError';
  }
}

/** Waits `ms` unless aborted; used between bounded polls. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
