import type { AwsCall, AwsService } from './types.js';

/**
 * Sends planned calls with the AWS SDK v3. Credentials, region defaults and endpoint come from the
 * SDK's usual chain (environment, profile, AWS_ENDPOINT_URL for emulators). SDK packages load on
 * first use: a dry run never pays for them.
 */
type Client = { send(command: unknown): Promise<unknown>; destroy(): void };
type CommandCtor = new (input: Record<string, unknown>) => unknown;

/**
 * The module's exports. The bundle turns a dynamic import of the SDK's CommonJS build into a module
 * whose only export is `default`; tsx and tsc output see the named exports directly.
 */
function pick(
  mod: unknown,
  clientName: string,
): { client: new (config: Record<string, unknown>) => Client; commands: Record<string, unknown> } {
  const m = mod as Record<string, unknown>;
  const ns = (clientName in m ? m : (m.default as Record<string, unknown>)) ?? {};
  return { client: ns[clientName] as never, commands: ns };
}

async function loadService(service: AwsService): Promise<{
  client: new (config: Record<string, unknown>) => Client;
  commands: Record<string, unknown>;
}> {
  switch (service) {
    case 'ec2': {
      const m = await import('@aws-sdk/client-ec2');
      return pick(m, 'EC2Client');
    }
    case 's3': {
      const m = await import('@aws-sdk/client-s3');
      return pick(m, 'S3Client');
    }
    case 'kms': {
      const m = await import('@aws-sdk/client-kms');
      return pick(m, 'KMSClient');
    }
    case 'rds': {
      const m = await import('@aws-sdk/client-rds');
      return pick(m, 'RDSClient');
    }
    case 'iam': {
      const m = await import('@aws-sdk/client-iam');
      return pick(m, 'IAMClient');
    }
  }
}

export class AwsExecutor {
  private readonly clients = new Map<string, Client>();

  /** `endpoint`: `--endpoint-url`, for emulators; otherwise the SDK's own resolution. */
  constructor(private readonly endpoint?: string) {
    // Warden supports Node 20; the SDK's multi-line notice about its future Node 22 floor would break
    // the one-line stderr contract. A user who sets the variable keeps their choice.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  }

  private async client(
    service: AwsService,
    region: string,
  ): Promise<{ client: Client; commands: Record<string, unknown> }> {
    const mod = await loadService(service);
    const key = `${service}\n${region}`;
    let client = this.clients.get(key);
    if (!client) {
      const config: Record<string, unknown> = { region: region || process.env.AWS_REGION || 'us-east-1' };
      if (this.endpoint) config.endpoint = this.endpoint;
      // Emulators (moto, LocalStack) serve buckets by path, not by virtual host.
      if (
        service === 's3' &&
        (this.endpoint || process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3)
      )
        config.forcePathStyle = true;
      client = new mod.client(config);
      this.clients.set(key, client);
    }
    return { client, commands: mod.commands };
  }

  async send(call: AwsCall): Promise<void> {
    const { client, commands } = await this.client(call.service, call.region);
    const Ctor = commands[`${call.command}Command`] as CommandCtor | undefined;
    if (!Ctor) throw new Error(`unknown ${call.service} command ${call.command}`);
    await client.send(new Ctor(call.input));
  }

  close(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}

/** An SDK error as one line: the service's error code and message, never the request. */
export function describeAwsError(err: unknown): string {
  const e = err as { name?: string; Code?: string; message?: string };
  return `${e.Code ?? e.name ?? 'Error'}: ${(e.message ?? String(err)).split('\n')[0]}`;
}
