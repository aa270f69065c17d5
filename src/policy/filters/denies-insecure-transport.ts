import type { Resource } from '../../model/resource.js';
import { asObj } from '../../util/narrow.js';
import type { EvalContext } from '../context.js';
import { asList, type Statement, statements } from '../iam-documents.js';
import { type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, TypedFilter } from './types.js';

function everyone(principal: unknown): boolean {
  return principal === '*' || asList(asObj(principal).AWS).includes('*');
}

/** `Bool`/`BoolIfExists` `aws:SecureTransport` = false (string or boolean, key case-insensitive). */
function whenInsecure(condition: unknown): boolean {
  for (const [op, operands] of Object.entries(asObj(condition))) {
    if (op !== 'Bool' && op !== 'BoolIfExists') continue;
    for (const [key, value] of Object.entries(asObj(operands))) {
      if (key.toLowerCase() !== 'aws:securetransport') continue;
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => String(v).toLowerCase() === 'false')) return true;
    }
  }
  return false;
}

function coversBucket(st: Statement, bucket: string): boolean {
  const resources = asList(st.Resource);
  if (resources.includes('*')) return true;
  const arn = (r: string, suffix: string) => /^arn:[a-z-]+:s3:::/.test(r) && r.endsWith(`:::${suffix}`);
  const objects = resources.some((r) => arn(r, `${bucket}/*`));
  const itself = resources.some((r) => arn(r, bucket));
  return objects && itself;
}

/**
 * `denies-insecure-transport`: true when the bucket policy has a statement that denies everyone every
 * S3 action (`s3:*` or `*`) on the bucket and its objects when `aws:SecureTransport` is false
 * (CIS 2.1.1). A bucket name known only after apply makes the check undecided.
 */
export const deniesInsecureTransportFilter: TypedFilter = {
  name: 'denies-insecure-transport',
  description: 'the bucket policy denies all S3 requests made without TLS',
  resourceTypes: ['aws.s3.bucket'],
  options: [],
  compile(): CompiledFilter {
    const paths = ['Policy', 'Name'];
    return {
      paths,
      evaluate(resource: Resource, ctx: EvalContext): Verdict {
        const bucket = String(resource.config.Name ?? resource.name);
        const list = statements(resource.config.Policy);
        const i = list.findIndex(
          (st) =>
            st.Effect === 'Deny' &&
            everyone(st.Principal) &&
            asList(st.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*') &&
            whenInsecure(st.Condition) &&
            coversBucket(st, bucket),
        );
        if (i >= 0)
          return verdict(true, [{ path: `Policy.Statement[${i}]`, note: 'denies requests without TLS' }]);
        return (
          ctx.undecided(paths) ??
          verdict(false, [
            {
              path: 'Policy',
              note:
                resource.config.Policy === undefined
                  ? 'no bucket policy'
                  : 'no statement denies s3:* when aws:SecureTransport is false',
            },
          ])
        );
      },
    };
  },
};
