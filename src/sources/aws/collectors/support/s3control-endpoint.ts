import type { S3ControlClient } from '@aws-sdk/client-s3-control';

/**
 * S3 Control's endpoint rules put the account id in front of the host (`<account>.s3-control…`).
 * With a custom endpoint (`--endpoint-url`, an emulator on 127.0.0.1) that yields an address that
 * does not exist, or not even a valid URL. The account id also travels in the `x-amz-account-id`
 * header, so for a custom endpoint the request goes to the endpoint as given. AWS's own endpoints
 * are left to the SDK's rules.
 */
const PATCHED = Symbol('warden.s3control.endpoint');

type Provider = (params: Record<string, unknown>, context?: unknown) => { url: URL; [k: string]: unknown };

export function useEndpointAsGiven(client: S3ControlClient): S3ControlClient {
  const config = client.config as unknown as Record<string | symbol, unknown> & {
    endpointProvider: Provider;
  };
  if (config[PATCHED]) return client;
  const original = config.endpointProvider;
  config.endpointProvider = (params, context) => {
    const given = typeof params.Endpoint === 'string' ? params.Endpoint : undefined;
    if (!given) return original(params, context);
    return { url: new URL(given) };
  };
  config[PATCHED] = true;
  return client;
}
