import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { type CallStats, instrumentClient } from './call-stats.js';

/**
 * Builds and caches one SDK client per (service, account, region), with the endpoint override,
 * the account's credentials, adaptive retry and call counting wired in. Collectors never build
 * clients themselves.
 */
export interface ClientSettings {
  /** `--endpoint-url`; without it the SDK reads `AWS_ENDPOINT_URL(_<SERVICE>)` itself. */
  endpoint?: string;
  /** Attempts per call including the first; throttled calls back off with jitter in between. */
  maxAttempts: number;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

type Ctor<C> = new (config: Record<string, unknown>) => C;

export function baseClientConfig(
  region: string,
  credentials: Credentials | undefined,
  settings: ClientSettings,
): Record<string, unknown> {
  return {
    region,
    ...(credentials ? { credentials } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    // S3 against an emulator or a custom endpoint needs path-style addressing; other clients ignore it.
    ...(settings.endpoint || process.env.AWS_ENDPOINT_URL ? { forcePathStyle: true } : {}),
    // Adaptive mode adds a client-side token bucket that slows down after throttles, on top of the
    // jittered exponential backoff of the standard mode.
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts,
  };
}

export class ClientFactory {
  private readonly cache = new Map<unknown, Map<string, unknown>>();

  constructor(
    private readonly account: string,
    private readonly credentials: Credentials | undefined,
    private readonly settings: ClientSettings,
    private readonly stats: CallStats,
  ) {}

  get<C>(ctor: Ctor<C>, region: string): C {
    let byRegion = this.cache.get(ctor);
    if (!byRegion) {
      byRegion = new Map();
      this.cache.set(ctor, byRegion);
    }
    const key = `${this.account}|${region}`;
    let client = byRegion.get(key) as C | undefined;
    if (!client) {
      client = new ctor(baseClientConfig(region, this.credentials, this.settings));
      instrumentClient(client as unknown as Parameters<typeof instrumentClient>[0], this.stats);
      byRegion.set(key, client);
    }
    return client;
  }

  destroy(): void {
    for (const byRegion of this.cache.values()) {
      for (const c of byRegion.values()) (c as { destroy?: () => void }).destroy?.();
    }
    this.cache.clear();
  }
}
