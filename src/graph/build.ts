import type { Resource } from '../model/resource.js';
import { objectItems } from '../util/narrow.js';
import { Builder, type EdgeBuilder, resourceNode, vpcKeyed } from './edges/builder.js';
import { COMPUTE_EDGES } from './edges/compute.js';
import { IAM_EDGES } from './edges/iam.js';
import { NETWORK_EDGES } from './edges/network.js';
import { Lookup } from './lookup.js';
import { Graph } from './model.js';

const BUILDERS: Record<string, EdgeBuilder> = { ...NETWORK_EDGES, ...IAM_EDGES, ...COMPUTE_EDGES };

/**
 * Builds the relationship graph from the resources of any source (live, snapshot, Terraform,
 * CloudFormation). Live data links through native ids (`SubnetId`, `SecurityGroups[].GroupId`,
 * `KeyName`, `IamInstanceProfile.Arn`); IaC links through `refs` where ids are known only after apply.
 * Linear in the inventory: every link is a hash lookup.
 */
export function buildGraph(resources: readonly Resource[]): Graph {
  const graph = new Graph();
  for (const r of resources) graph.addNode(resourceNode(r));
  const b = new Builder(graph, new Lookup(resources));
  const mainTables = new Map<string, Resource>();
  const defaultNacls = new Map<string, Resource>();
  for (const r of resources) {
    if (r.type === 'aws.ec2.route-table' && objectItems(r.config.Associations).some((a) => a.Main === true)) {
      vpcKeyed(mainTables, r);
    }
    if (r.type === 'aws.ec2.network-acl' && r.config.IsDefault === true) vpcKeyed(defaultNacls, r);
  }
  for (const r of resources) {
    const build = BUILDERS[r.type];
    if (build) build(b, r);
  }
  // Subnets without an explicit association use their VPC's main route table and default NACL.
  for (const r of resources) {
    if (r.type !== 'aws.ec2.subnet') continue;
    const vpc = typeof r.config.VpcId === 'string' ? r.config.VpcId : undefined;
    if (!vpc) continue;
    const main = mainTables.get(`${r.account}|${vpc}`);
    if (main && graph.out(r.id, 'routes-via').length === 0) {
      b.edge('routes-via', r, main, `main route table of ${vpc}`);
    }
    const nacl = defaultNacls.get(`${r.account}|${vpc}`);
    if (nacl && graph.out(r.id, 'guarded-by-nacl').length === 0) {
      b.edge('guarded-by-nacl', r, nacl, `default network ACL of ${vpc}`);
    }
  }
  return graph;
}
