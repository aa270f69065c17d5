import type { AwsCall, AwsService } from './types.js';

/**
 * Sends planned calls with the AWS SDK v3. Credentials, region defaults and endpoint come from the
 * SDK's usual chain (environment, profile, AWS_ENDPOINT_URL for emulators). SDK packages load on
 * first use: a dry run never pays for them.
 */
type Client = { send(command: unknown): Promise<unknown>; destroy(): void };
type CommandCtor = new (input: Record<string, unknown>) => unknown;

async function loadService(service: AwsService): Promise<{
  client: new (config: Record<string, unknown>) => Client;
  commands: Record<string, unknown>;
}> {
  switch (service) {
    case 'ec2': {
      const m = await import('@aws-sdk/client-ec2');
      return { client: m.EC2Client as never, commands: m as never };
    }
    case 's3': {
      const m = await import('@aws-sdk/client-s3');
      return { client: m.S3Client as never, commands: m as never };
    }
    case 'kms': {
      const m = await import('@aws-sdk/client-kms');
      return { client: m.KMSClient as never, commands: m as never };
    }
    case 'rds': {
      const m = await import('@aws-sdk/client-rds');
      return { client: m.RDSClient as never, commands: m as never };
    }
    case 'iam': {
      const m = await import('@aws-sdk/client-iam');
      return { client: m.IAMClient as never, commands: m as never };
    }
  }
}

export class AwsExecutor {
  private readonly clients = new Map<string, Client>();

  constructor() {
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
      // Emulators (moto, LocalStack) serve buckets by path, not by virtual host.
      if (service === 's3' && (process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3))
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
