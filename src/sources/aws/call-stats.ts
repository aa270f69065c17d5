import { serviceLabel } from './call-error.js';

/**
 * Counts every attempt the SDK makes, by service and operation, with the throttles met and the
 * retries made (attempts beyond the first of each call). Printed in the summary and stored in
 * snapshots, so a scan's cost on the accounts is visible.
 */
export interface OperationStats {
  service: string;
  operation: string;
  calls: number;
  attempts: number;
  throttles: number;
  errors: number;
}

export interface CallStatsJson {
  operations: OperationStats[];
  totals: { calls: number; attempts: number; retries: number; throttles: number; errors: number };
}

/** The codes AWS uses to say "slow down"; the SDK's adaptive retry backs off on these. */
export const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'EC2ThrottledException',
]);

export class CallStats {
  private readonly ops = new Map<string, OperationStats>();

  private entry(service: string, operation: string): OperationStats {
    const key = `${service}:${operation}`;
    let e = this.ops.get(key);
    if (!e) {
      e = { service, operation, calls: 0, attempts: 0, throttles: 0, errors: 0 };
      this.ops.set(key, e);
    }
    return e;
  }

  call(service: string, operation: string): void {
    this.entry(service, operation).calls++;
  }

  attempt(service: string, operation: string, errorCode?: string): void {
    const e = this.entry(service, operation);
    e.attempts++;
    if (errorCode && THROTTLE_CODES.has(errorCode)) e.throttles++;
  }

  failed(service: string, operation: string): void {
    this.entry(service, operation).errors++;
  }

  toJSON(): CallStatsJson {
    const operations = [...this.ops.values()].sort(
      (a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation),
    );
    const sum = (f: (o: OperationStats) => number) => operations.reduce((n, o) => n + f(o), 0);
    const calls = sum((o) => o.calls);
    const attempts = sum((o) => o.attempts);
    return {
      operations: operations.map((o) => ({ ...o })),
      totals: {
        calls,
        attempts,
        retries: attempts - calls,
        throttles: sum((o) => o.throttles),
        errors: sum((o) => o.errors),
      },
    };
  }
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: Record<string, unknown>): void;
}

type Handler = (args: unknown) => Promise<unknown>;

function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string } | undefined;
  return e?.Code ?? e?.name ?? 'Error';
}

/**
 * The counting as an SDK plugin. One middleware at `initialize` sees each logical call once; one at
 * `deserialize` (inside the retry loop of `finalizeRequest`) sees every attempt, throttled ones too.
 */
export function countingPlugin(service: string, stats: CallStats) {
  const opOf = (context: { commandName?: string }) =>
    (context.commandName ?? 'Unknown').replace(/Command$/, '');
  // The credential providers apply their plugins on every refresh: count each stack once.
  const applied = new WeakSet<MiddlewareStackLike>();
  return {
    applyToStack(stack: MiddlewareStackLike): void {
      if (applied.has(stack)) return;
      applied.add(stack);
      stack.add(
        (next: Handler, context: { commandName?: string }) => async (args: unknown) => {
          const op = opOf(context);
          stats.call(service, op);
          try {
            return await next(args);
          } catch (err) {
            stats.failed(service, op);
            throw err;
          }
        },
        { step: 'initialize', name: 'wardenCallCount', priority: 'high' },
      );
      stack.add(
        (next: Handler, context: { commandName?: string }) => async (args: unknown) => {
          const op = opOf(context);
          try {
            const out = await next(args);
            stats.attempt(service, op);
            return out;
          } catch (err) {
            stats.attempt(service, op, errorCode(err));
            throw err;
          }
        },
        { step: 'deserialize', name: 'wardenAttemptCount', priority: 'high' },
      );
    },
  };
}

/** Wires the counting into a client, labelled by the client's own service id. */
export function instrumentClient(
  client: { middlewareStack: MiddlewareStackLike; config: { serviceId?: string } },
  stats: CallStats,
): void {
  countingPlugin(serviceLabel(client.config.serviceId ?? 'unknown'), stats).applyToStack(
    client.middlewareStack,
  );
}
