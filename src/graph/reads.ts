/**
 * What the relationship graph reads, for demand-driven collection. Graph filters (`fact`, `path`)
 * read edges, not config paths of the policy's own type, so they put this marker among their
 * policy's paths; the collector demand then adds the per-resource enrichments edges are built from
 * (listing calls return the rest).
 */
export const GRAPH_READS = '@graph';

export const GRAPH_ENRICHMENTS: Readonly<Record<string, readonly string[]>> = {
  'aws.elbv2.load-balancer': ['Listeners'],
  'aws.elbv2.target-group': ['Targets'],
};
