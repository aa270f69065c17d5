import { IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import type { Resource } from '../../../model/resource.js';
import type { AwsCallError, Collector } from '../types.js';
import { accountResource } from './iam/account.js';
import { identityResources } from './iam/authorization-details.js';
import { completeUsers, credentialReport, wantsCredentialReport } from './iam/credentials.js';
import { refreshIam } from './iam/refresh.js';
import { collectPages, listAll } from './support/calls.js';

/**
 * IAM (global). Identities and their documents come from one paginated
 * GetAccountAuthorizationDetails walk and credential facts from one credential report, so the
 * number of calls does not grow with the number of users and roles; per-user calls (access keys,
 * MFA devices, login profiles) are made only when a loaded policy reads their fields.
 */
const SERVICE = 'iam';

export const iamCollector: Collector = {
  service: SERVICE,
  types: [
    'aws.iam.user',
    'aws.iam.group',
    'aws.iam.role',
    'aws.iam.policy',
    'aws.iam.instance-profile',
    'aws.iam.access-key',
    'aws.iam.account',
  ],
  scope: 'global',
  refresh: refreshIam,
  async collect(ctx) {
    const failures: AwsCallError[] = [];
    const iam = ctx.client(IAMClient);
    const pages = await listAll(
      ctx,
      failures,
      {
        service: SERVICE,
        operation: 'GetAccountAuthorizationDetails',
        type: 'aws.iam.user, aws.iam.group, aws.iam.role, aws.iam.policy',
      },
      () =>
        collectPages(
          paginateGetAccountAuthorizationDetails(
            { client: iam },
            { Filter: ['User', 'Role', 'Group', 'LocalManagedPolicy'] },
          ),
          (page) => [page],
        ),
    );
    const identities = identityResources(ctx, pages ?? []);
    const { users } = identities;

    const report = wantsCredentialReport(ctx) ? await credentialReport(ctx, iam) : undefined;
    const keys = await completeUsers(ctx, iam, users, report);
    const account = await accountResource(ctx, iam, report);

    const resources: Resource[] = [
      account,
      ...users,
      ...identities.groups,
      ...identities.roles,
      ...identities.policies,
      ...identities.profiles,
      ...keys,
    ];
    return { resources, failures };
  },
};
