import type { Resource } from '../../model/resource.js';
import { asArray, isObj, objectItems } from '../../util/narrow.js';
import { allowedPrincipals, principalNodeId } from '../principals.js';
import { type Builder, type EdgeBuilder, externalNode, ROLE, str } from './builder.js';

/** Identity edges: instance profiles, roles, users, groups, their policies and the principals they trust. */
function identityPolicies(b: Builder, identity: Resource): void {
  objectItems(identity.config.AttachedManagedPolicies).forEach((entry) => {
    const arn = str(entry.PolicyArn);
    const inInventory = b.lookup.byId('aws.iam.policy', arn);
    if (inInventory.length > 0) {
      for (const p of inInventory) b.edge('has-policy', identity, p, `attached managed policy ${arn}`);
      return;
    }
    if (arn) {
      const name = str(entry.PolicyName) ?? arn.slice(arn.lastIndexOf('/') + 1);
      const node = b.external(
        externalNode(arn, 'aws.iam.policy', name, { PolicyName: name, Arn: arn }, identity),
      );
      b.graph.addEdge({
        kind: 'has-policy',
        from: identity.id,
        to: node.id,
        evidence: `attached managed policy ${arn}`,
      });
    }
  });
  b.link('has-policy', identity, ['aws.iam.policy'], 'AttachedManagedPolicies', []);
  for (const key of ['RolePolicyList', 'UserPolicyList', 'GroupPolicyList']) {
    objectItems(identity.config[key]).forEach((entry, i) => {
      const name = str(entry.PolicyName) ?? `#${i}`;
      const id = `${identity.id}#inline/${name}`;
      const node = b.external(
        externalNode(
          id,
          'aws.iam.inline-policy',
          name,
          { PolicyName: name, PolicyDocument: entry.PolicyDocument },
          identity,
          identity.account,
        ),
      );
      b.graph.addEdge({
        kind: 'has-policy',
        from: identity.id,
        to: node.id,
        evidence: `inline policy ${name}`,
      });
    });
  }
}

function principals(b: Builder, r: Resource, doc: unknown, kind: 'trusts' | 'grants-to'): void {
  for (const p of allowedPrincipals(doc)) {
    const id = principalNodeId(p);
    const anyone = p.conditional ? 'anyone (*) under a condition' : 'anyone (*)';
    const label = p.kind === '*' ? anyone : p.account ? `account ${p.account}` : p.value;
    const node = b.external(
      externalNode(
        id,
        'aws.iam.principal',
        label,
        {
          Type: p.kind,
          Value: p.account ? p.account : p.value,
          ...(p.account ? { AccountId: p.account } : {}),
          ...(p.kind === '*' ? { Conditional: p.conditional } : {}),
        },
        r,
        p.account ?? '',
      ),
    );
    const how = kind === 'trusts' ? 'trust policy allows' : 'bucket policy allows';
    b.graph.addEdge({
      kind,
      from: r.id,
      to: node.id,
      evidence: `${how} ${p.value} (${p.actions.join(', ') || 'no action'})${p.conditional ? ' with a condition' : ''}`,
      data: { principal: p.value, conditional: p.conditional },
    });
  }
}

export const IAM_EDGES: Record<string, EdgeBuilder> = {
  'aws.iam.instance-profile'(b, r) {
    const ids = objectItems(r.config.Roles).map((x) => x.Arn ?? x.RoleName);
    b.link('has-role', r, ROLE, 'Roles', ids);
  },
  'aws.iam.role'(b, r) {
    identityPolicies(b, r);
    principals(b, r, r.config.AssumeRolePolicyDocument, 'trusts');
  },
  'aws.iam.user'(b, r) {
    identityPolicies(b, r);
    b.link('member-of', r, ['aws.iam.group'], 'GroupList', asArray(r.config.GroupList));
  },
  'aws.iam.group'(b, r) {
    identityPolicies(b, r);
  },
  'aws.s3.bucket'(b, r) {
    if (isObj(r.config.Policy)) principals(b, r, r.config.Policy, 'grants-to');
  },
};
