import type { Result } from '../model/result.js';
import type { PolicyDefinition } from '../policy/definition.js';
import type { GraphFacts } from './facts/index.js';
import type { GraphNode } from './model.js';

function where(r: { source: { file?: string; line?: number } }): string {
  return r.source.file ? ` (${r.source.file}${r.source.line ? `:${r.source.line}` : ''})` : '';
}

/** A finding in words: the policy, the resource, the path it went through and each piece of evidence. */
export function explainFinding(
  result: Result,
  policy: PolicyDefinition | undefined,
  facts: GraphFacts,
): string {
  const lines = [
    `${result.policy} [${result.severity}] ${result.status}: ${policy?.title ?? result.message}`,
    `resource: ${result.resource.name} (${result.resource.type}) ${result.resource.id}${where(result)}`,
    `fingerprint: ${result.fingerprint}`,
  ];
  if (result.path && result.path.length > 1) {
    lines.push('path:');
    result.path.forEach((id, i) => {
      const n = facts.graph.node(id);
      lines.push(`  ${i + 1}. ${n?.label ?? id} (${n?.type ?? 'unknown type'}) ${id}`);
    });
  }
  if (result.evidence.length > 0) {
    lines.push('because:');
    for (const e of result.evidence) {
      lines.push(`  - ${e.note ?? `${e.path} = ${JSON.stringify(e.value)}`}`);
    }
  }
  if (result.reason) lines.push(`reason: ${result.reason}`);
  if (policy?.remediation) lines.push(`remediation: ${policy.remediation}`);
  return `${lines.join('\n')}\n`;
}

/** A resource in words: its edges with their evidence, its derived facts and its failing findings. */
export function explainResource(node: GraphNode, facts: GraphFacts, results: readonly Result[]): string {
  const g = facts.graph;
  const label = (id: string) => g.node(id)?.label ?? id;
  const lines = [`${node.label} (${node.type}) ${node.id}${where(node.resource)}`];
  const out = g.out(node.id);
  const inn = g.in(node.id);
  if (out.length + inn.length > 0) lines.push('relationships:');
  for (const e of out) lines.push(`  → ${e.kind} ${label(e.to)}: ${e.evidence}`);
  for (const e of inn) lines.push(`  ← ${label(e.from)} ${e.kind} this: ${e.evidence}`);
  const r = node.resource;
  const shown: [string, ReturnType<GraphFacts['adminPrivilege']>][] = [];
  if (['aws.ec2.instance', 'aws.elbv2.load-balancer', 'aws.elb.load-balancer'].includes(r.type)) {
    shown.push(['internet-exposed', facts.internetExposed(r)]);
  }
  if (
    ['aws.ec2.instance', 'aws.iam.role', 'aws.iam.user', 'aws.iam.group', 'aws.lambda.function'].includes(
      r.type,
    )
  ) {
    shown.push(['admin-privilege', facts.adminPrivilege(r)]);
  }
  if (r.type === 'aws.ec2.instance') shown.push(['shares-key-with', facts.sharesKey(r)]);
  if (shown.length > 0) lines.push('facts:');
  for (const [name, f] of shown) {
    const verdict =
      f.truth === true ? 'yes' : f.truth === false ? 'no' : `${f.truth}${f.reason ? ` (${f.reason})` : ''}`;
    lines.push(`  ${name}: ${verdict}`);
    if (f.truth === true) for (const e of f.evidence) lines.push(`    - ${e.note ?? e.path}`);
  }
  const failing = results.filter(
    (x) => x.resource.id === node.id && (x.status === 'fail' || x.status === 'error'),
  );
  if (failing.length > 0) lines.push('findings:');
  for (const x of failing) lines.push(`  ${x.fingerprint} ${x.policy} [${x.severity}] ${x.message}`);
  return `${lines.join('\n')}\n`;
}
