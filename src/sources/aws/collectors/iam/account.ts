import { AccountClient, GetAlternateContactCommand } from '@aws-sdk/client-account';
import {
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  type IAMClient,
  paginateListAccountAliases,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../../../model/resource.js';
import { liveResource, recordError } from '../../resource.js';
import type { AwsCallError, CollectorContext } from '../../types.js';
import { addError, collectPages, enrich } from '../support/calls.js';
import { type CredentialRow, ROOT_USER } from './credential-report.js';

const TYPE = 'aws.iam.account';

/** Codes an emulator or an old partition answers for an API it does not implement. */
const UNSUPPORTED = /NotImplemented|UnknownOperation|InvalidAction|UnrecognizedClient|404/i;

/**
 * The `aws.iam.account` resource: one per account, holding the account-wide IAM facts (password
 * policy, summary, root credentials, aliases, security contact). Each field is read only when a
 * loaded policy reads it.
 */
export async function accountResource(
  ctx: CollectorContext,
  iam: IAMClient,
  report: { rows: Map<string, CredentialRow> } | { error: AwsCallError } | undefined,
): Promise<Resource> {
  const account = liveResource(ctx, {
    type: TYPE,
    id: `arn:${ctx.partition}:iam::${ctx.account}:root`,
    nativeName: ctx.account,
    config: { AccountId: ctx.account },
  });
  const needs = (path: string) => ctx.needs(TYPE, path);
  const call = <T>(operation: string, path: string, fn: () => Promise<T>, absent: string[] = []) =>
    enrich(ctx, account, { service: 'iam', operation, path, absent }, fn);
  const jobs: Promise<void>[] = [];

  if (needs('AccountAliases')) {
    jobs.push(
      call('ListAccountAliases', 'AccountAliases', () =>
        collectPages(paginateListAccountAliases({ client: iam }, {}), (p) => p.AccountAliases),
      ).then((o) => {
        if (o.kind !== 'ok') return;
        account.config.AccountAliases = o.value.filter((a): a is string => typeof a === 'string');
        if (typeof o.value[0] === 'string') account.name = o.value[0];
      }),
    );
  }
  if (needs('PasswordPolicy')) {
    jobs.push(
      call(
        'GetAccountPasswordPolicy',
        'PasswordPolicy',
        () => iam.send(new GetAccountPasswordPolicyCommand({})),
        ['NoSuchEntity'],
      ).then((o) => {
        if (o.kind === 'ok') account.config.PasswordPolicy = { ...(o.value.PasswordPolicy ?? {}) };
        else if (o.kind === 'absent') account.config.PasswordPolicy = null;
      }),
    );
  }
  if (needs('SummaryMap')) {
    jobs.push(
      call('GetAccountSummary', 'SummaryMap', () => iam.send(new GetAccountSummaryCommand({}))).then((o) => {
        if (o.kind === 'ok') account.config.SummaryMap = { ...(o.value.SummaryMap ?? {}) };
      }),
    );
  }
  if (needs('AlternateContacts')) jobs.push(alternateContacts(ctx, account));
  await Promise.all(jobs);

  if (report && needs('RootCredential')) {
    if ('error' in report) recordError(account, 'RootCredential', report.error);
    else {
      const root = report.rows.get(ROOT_USER);
      if (root) account.config.RootCredential = root;
      else
        addError(
          account,
          'RootCredential',
          'not-in-report',
          'the credential report has no <root_account> row',
        );
    }
  }
  return account;
}

/** Records only whether a SECURITY contact exists: names, addresses and numbers are not kept. */
async function alternateContacts(ctx: CollectorContext, account: Resource): Promise<void> {
  try {
    const client = ctx.client(AccountClient, 'us-east-1');
    await ctx.limit('account', () =>
      client.send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' })),
    );
    account.config.AlternateContacts = { SECURITY: { present: true } };
  } catch (err) {
    const error = ctx.toCallError(err, 'account', 'GetAlternateContact');
    if (error.code === 'ResourceNotFoundException') account.config.AlternateContacts = {};
    else if (UNSUPPORTED.test(error.code))
      addError(
        account,
        'AlternateContacts',
        'unsupported',
        'account:GetAlternateContact is not supported by this endpoint',
      );
    else recordError(account, 'AlternateContacts', error);
  }
}
