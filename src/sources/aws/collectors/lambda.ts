import {
  type FunctionConfiguration,
  LambdaClient,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import type { Resource } from '../../../model/resource.js';
import { liveResource, plainObject } from '../resource.js';
import type { AwsCallError, Collector } from '../types.js';
import { collectPages, enrich, listAll } from './support/calls.js';
import { str, tagListFromMap } from './support/resource.js';
import { applyTags } from './support/tags.js';

/**
 * Lambda functions from one ListFunctions walk. Environment variables routinely hold secrets: only
 * their names are kept, every value is replaced before anything else sees the answer.
 */
const SERVICE = 'lambda';
const TYPE = 'aws.lambda.function';
export const REDACTED = '<redacted>';

/** The function's configuration with environment values replaced; nothing else reads the raw answer. */
export function redactedConfig(fn: FunctionConfiguration): Record<string, unknown> {
  const { Environment, ...rest } = fn;
  const config = plainObject(rest);
  if (Environment) {
    const names = Object.keys(Environment.Variables ?? {});
    config.Environment = {
      Variables: Object.fromEntries(names.map((n) => [n, REDACTED])),
      ...(Environment.Error ? { Error: { ErrorCode: str(Environment.Error.ErrorCode) } } : {}),
    };
  }
  return config;
}

export const lambdaCollector: Collector = {
  service: SERVICE,
  types: [TYPE],
  scope: 'regional',
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const lambda = ctx.client(LambdaClient);
    const listed = await listAll(
      ctx,
      failures,
      { service: SERVICE, operation: 'ListFunctions', type: TYPE },
      () => collectPages(paginateListFunctions({ client: lambda }, {}), (p) => p.Functions),
    );
    const resources: Resource[] = [];
    for (const fn of listed ?? []) {
      const arn = str(fn.FunctionArn);
      const name = str(fn.FunctionName);
      if (!arn || !name) continue;
      resources.push(
        liveResource(ctx, { type: TYPE, id: arn, nativeName: name, config: redactedConfig(fn) }),
      );
    }
    if (ctx.needs(TYPE, 'Tags')) {
      await Promise.all(
        resources.map(async (r) => {
          const out = await enrich(ctx, r, { service: SERVICE, operation: 'ListTags', path: 'Tags' }, () =>
            lambda.send(new ListTagsCommand({ Resource: r.id })),
          );
          if (out.kind !== 'ok') return;
          applyTags(r, tagListFromMap(out.value.Tags));
        }),
      );
    }
    return { resources, failures };
  },
};
