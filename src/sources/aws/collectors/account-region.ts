import {
  AccessAnalyzerClient,
  type AnalyzerSummary,
  paginateListAnalyzers,
} from '@aws-sdk/client-accessanalyzer';
import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { arn, liveResource, plainObject, recordError } from '../resource.js';
import type { Collector, CollectorContext } from '../types.js';

export const ACCOUNT_REGION = 'aws.account.region';

/**
 * `aws.account.region`: one resource per (account, region) scanned, so "enabled in every region"
 * policies have something to fail on when the feature is off. Each field is one cheap regional call,
 * made only when a policy reads it; a failed call marks its field unreadable.
 */
async function field(
  ctx: CollectorContext,
  config: Record<string, unknown>,
  errors: { path: string; err: unknown; service: string; op: string }[],
  path: string,
  service: string,
  op: string,
  read: () => Promise<unknown>,
): Promise<void> {
  if (!ctx.needs(ACCOUNT_REGION, path)) return;
  try {
    config[path] = await read();
  } catch (err) {
    errors.push({ path, err, service, op });
  }
}

async function recorders(ctx: CollectorContext): Promise<unknown[]> {
  const client = ctx.client(ConfigServiceClient);
  const [list, status] = await Promise.all([
    client.send(new DescribeConfigurationRecordersCommand({})),
    client.send(new DescribeConfigurationRecorderStatusCommand({})),
  ]);
  const byName = new Map((status.ConfigurationRecordersStatus ?? []).map((s) => [s.name, s]));
  return (list.ConfigurationRecorders ?? []).map((r) => {
    const s = byName.get(r.name);
    return {
      ...plainObject({ name: r.name, roleARN: r.roleARN, recordingGroup: r.recordingGroup }),
      Status: plainObject({ recording: s?.recording === true, lastStatus: s?.lastStatus }),
    };
  });
}

async function analyzers(ctx: CollectorContext): Promise<unknown[]> {
  const client = ctx.client(AccessAnalyzerClient);
  const out: AnalyzerSummary[] = [];
  for await (const page of paginateListAnalyzers({ client }, {})) out.push(...(page.analyzers ?? []));
  return out.map((a) => plainObject({ name: a.name, status: a.status, type: a.type }));
}

/** Security Hub answers "not subscribed" with an error; that is the feature being off, not unreadable. */
const HUB_OFF = new Set(['InvalidAccessException', 'ResourceNotFoundException']);

async function securityHub(ctx: CollectorContext): Promise<Record<string, unknown>> {
  try {
    const hub = await ctx.client(SecurityHubClient).send(new DescribeHubCommand({}));
    return plainObject({ Enabled: true, HubArn: hub.HubArn });
  } catch (err) {
    if (HUB_OFF.has((err as { name?: string }).name ?? '')) return { Enabled: false };
    throw err;
  }
}

const FIELDS = ['EbsEncryptionByDefault', 'ConfigurationRecorders', 'AccessAnalyzers', 'SecurityHub'];

export const accountRegionCollector: Collector = {
  service: 'account',
  scope: 'regional',
  types: [ACCOUNT_REGION],
  async collect(ctx) {
    const config: Record<string, unknown> = { RegionName: ctx.region };
    const errors: { path: string; err: unknown; service: string; op: string }[] = [];
    await Promise.all([
      field(ctx, config, errors, 'EbsEncryptionByDefault', 'ec2', 'GetEbsEncryptionByDefault', async () => {
        const out = await ctx.client(EC2Client).send(new GetEbsEncryptionByDefaultCommand({}));
        return out.EbsEncryptionByDefault === true;
      }),
      field(ctx, config, errors, 'ConfigurationRecorders', 'config', 'DescribeConfigurationRecorders', () =>
        recorders(ctx),
      ),
      field(ctx, config, errors, 'AccessAnalyzers', 'access-analyzer', 'ListAnalyzers', () => analyzers(ctx)),
      field(ctx, config, errors, 'SecurityHub', 'securityhub', 'DescribeHub', () => securityHub(ctx)),
    ]);
    // The calls answer in any order; the config keeps one order so two reads serialize the same.
    const ordered: Record<string, unknown> = { RegionName: ctx.region };
    for (const k of FIELDS) if (Object.hasOwn(config, k)) ordered[k] = config[k];
    const r = liveResource(ctx, {
      type: ACCOUNT_REGION,
      id: arn(ctx, 'ec2', 'region'),
      nativeName: ctx.region,
      config: ordered,
      tags: {},
    });
    for (const e of errors) recordError(r, e.path, ctx.toCallError(e.err, e.service, e.op));
    return { resources: [r], failures: [] };
  },
};
