import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  type IAMClient,
  paginateListAccessKeys,
  paginateListMFADevices,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../../../model/resource.js';
import { liveResource, recordError } from '../../resource.js';
import type { AwsCallError, CollectorContext } from '../../types.js';
import { addError, collectPages, enrich } from '../support/calls.js';
import { compact, isoDate, str } from '../support/resource.js';
import { type CredentialRow, parseCredentialReport } from './credential-report.js';

const SERVICE = 'iam';
const USER = 'aws.iam.user';
const KEY = 'aws.iam.access-key';

/** Report generation takes seconds on a large account; the wait is bounded (about 15 s), never a spin. */
const REPORT_ATTEMPTS = 10;
const reportWaitMs = (attempt: number) => Math.min(250 * 2 ** attempt, 2000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a loaded policy reads the report: a user's row or the root account's. */
export function wantsCredentialReport(ctx: CollectorContext): boolean {
  return ctx.needs(USER, 'CredentialReport') || ctx.needs('aws.iam.account', 'RootCredential');
}

/** Generates the credential report (bounded wait until COMPLETE) and returns its rows by user. */
export async function credentialReport(
  ctx: CollectorContext,
  iam: IAMClient,
): Promise<{ rows: Map<string, CredentialRow> } | { error: AwsCallError }> {
  let operation = 'GenerateCredentialReport';
  try {
    let complete = false;
    for (let attempt = 0; attempt < REPORT_ATTEMPTS && !complete; attempt++) {
      const out = await iam.send(new GenerateCredentialReportCommand({}));
      complete = out.State === 'COMPLETE';
      if (!complete) await sleep(reportWaitMs(attempt));
    }
    operation = 'GetCredentialReport';
    const report = await iam.send(new GetCredentialReportCommand({}));
    const text = report.Content ? Buffer.from(report.Content).toString('utf8') : '';
    return { rows: parseCredentialReport(text) };
  } catch (err) {
    return { error: ctx.toCallError(err, SERVICE, operation) };
  }
}

/** Each user's row as `CredentialReport`; a user missing from the report is unreadable, not clean. */
export function attachCredentialRows(
  users: readonly Resource[],
  report: { rows: Map<string, CredentialRow> } | { error: AwsCallError },
): void {
  for (const u of users) {
    if ('error' in report) {
      recordError(u, 'CredentialReport', report.error);
      continue;
    }
    const row = report.rows.get(String(u.config.UserName));
    if (row) u.config.CredentialReport = row;
    else {
      addError(
        u,
        'CredentialReport',
        'not-in-report',
        'the user is not in the credential report (created after it was generated)',
      );
    }
  }
}

/**
 * Access keys per user (ListAccessKeys has no bulk form): `aws.iam.access-key` resources and the
 * user's `AccessKeys`. The last-use date costs one more call per key, made only when a policy reads it.
 */
export async function accessKeys(
  ctx: CollectorContext,
  iam: IAMClient,
  users: readonly Resource[],
): Promise<Resource[]> {
  const withLastUse = ctx.needs(USER, 'AccessKeys.LastUsedDate') || ctx.needs(KEY, 'LastUsedDate');
  const keys: Resource[] = [];
  await Promise.all(
    users.map(async (u) => {
      const userName = String(u.config.UserName);
      const listed = await enrich(
        ctx,
        u,
        { service: SERVICE, operation: 'ListAccessKeys', path: 'AccessKeys' },
        () =>
          collectPages(
            paginateListAccessKeys({ client: iam }, { UserName: userName }),
            (p) => p.AccessKeyMetadata,
          ),
      );
      if (listed.kind !== 'ok') return;
      const entries: Record<string, unknown>[] = [];
      for (const k of listed.value) {
        const id = str(k.AccessKeyId);
        if (!id) continue;
        const entry: Record<string, unknown> = compact({
          AccessKeyId: id,
          Status: str(k.Status),
          CreateDate: isoDate(k.CreateDate),
        });
        const key = liveResource(ctx, {
          type: KEY,
          id: `${u.id}/access-key/${id}`,
          nativeName: id,
          config: { ...entry, UserName: userName },
        });
        if (withLastUse) {
          const used = await enrich(
            ctx,
            key,
            { service: SERVICE, operation: 'GetAccessKeyLastUsed', path: 'LastUsedDate' },
            () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })),
          );
          if (used.kind === 'ok') {
            const date = isoDate(used.value.AccessKeyLastUsed?.LastUsedDate);
            if (date) {
              key.config.LastUsedDate = date;
              entry.LastUsedDate = date;
            }
          } else if (used.kind === 'failed') {
            recordError(u, `AccessKeys[${entries.length}].LastUsedDate`, used.error);
          }
        }
        entries.push(entry);
        keys.push(key);
      }
      u.config.AccessKeys = entries;
    }),
  );
  return keys;
}

/** MFA devices and login profiles per user, only for policies that read them (the report usually answers). */
export async function userExtras(
  ctx: CollectorContext,
  iam: IAMClient,
  users: readonly Resource[],
): Promise<void> {
  const mfa = ctx.needs(USER, 'MFADevices');
  const login = ctx.needs(USER, 'LoginProfile');
  if (!mfa && !login) return;
  await Promise.all(
    users.map(async (u) => {
      const userName = String(u.config.UserName);
      if (mfa) {
        const out = await enrich(
          ctx,
          u,
          { service: SERVICE, operation: 'ListMFADevices', path: 'MFADevices' },
          () =>
            collectPages(
              paginateListMFADevices({ client: iam }, { UserName: userName }),
              (p) => p.MFADevices,
            ),
        );
        if (out.kind === 'ok')
          u.config.MFADevices = out.value.map((d) =>
            compact({ SerialNumber: str(d.SerialNumber), EnableDate: isoDate(d.EnableDate) }),
          );
      }
      if (login) {
        const out = await enrich(
          ctx,
          u,
          { service: SERVICE, operation: 'GetLoginProfile', path: 'LoginProfile', absent: ['NoSuchEntity'] },
          () => iam.send(new GetLoginProfileCommand({ UserName: userName })),
        );
        if (out.kind === 'ok')
          u.config.LoginProfile = compact({ CreateDate: isoDate(out.value.LoginProfile?.CreateDate) });
      }
    }),
  );
}

/**
 * Everything a user carries beyond its authorization details, as the loaded policies demand it: the
 * credential-report row (`report` given when wanted), access keys (returned as resources) and MFA
 * devices / login profile. One definition for the full collection and the targeted re-read.
 */
export async function completeUsers(
  ctx: CollectorContext,
  iam: IAMClient,
  users: readonly Resource[],
  report: { rows: Map<string, CredentialRow> } | { error: AwsCallError } | undefined,
): Promise<Resource[]> {
  if (report) attachCredentialRows(users, report);
  const wantsKeys = ctx.needs(USER, 'AccessKeys') || ctx.needs(KEY, '');
  const keys = wantsKeys ? await accessKeys(ctx, iam, users) : [];
  await userExtras(ctx, iam, users);
  return keys;
}
