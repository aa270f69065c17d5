import type { GraphNode } from '../model.js';
import type { GraphSelection } from '../select.js';

export const GRAPH_FORMATS = ['json', 'dot', 'graphml'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

function nodeData(n: GraphNode) {
  const r = n.resource;
  return {
    id: n.id,
    label: n.label,
    type: n.type,
    account: r.account,
    region: r.region,
    external: n.external,
    ...(r.source.file ? { file: r.source.file } : {}),
    ...(r.source.line ? { line: r.source.line } : {}),
    ...(r.source.address ? { address: r.source.address } : {}),
  };
}

const edgeId = (i: number) => `e${i}`;

/** Cytoscape.js elements JSON: `{"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}`. */
export function toCytoscape(g: GraphSelection): string {
  const doc = {
    elements: {
      nodes: g.nodes.map((n) => ({ data: nodeData(n) })),
      edges: g.edges.map((e, i) => ({
        data: { id: edgeId(i), source: e.from, target: e.to, kind: e.kind, evidence: e.evidence },
      })),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const dotQuote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Graphviz DOT, one node per resource labelled with its name and type. */
export function toDot(g: GraphSelection): string {
  const lines = ['digraph warden {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const n of g.nodes) {
    const style = n.external ? ', style=dashed' : '';
    lines.push(`  ${dotQuote(n.id)} [label=${dotQuote(`${n.label}\n${n.type}`)}${style}];`);
  }
  for (const e of g.edges) {
    lines.push(
      `  ${dotQuote(e.from)} -> ${dotQuote(e.to)} [label=${dotQuote(e.kind)}, tooltip=${dotQuote(e.evidence)}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GraphML with node label/type/account and edge kind/evidence attributes. */
export function toGraphml(g: GraphSelection): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
    '  <key id="account" for="node" attr.name="account" attr.type="string"/>',
    '  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>',
    '  <key id="evidence" for="edge" attr.name="evidence" attr.type="string"/>',
    '  <graph id="warden" edgedefault="directed">',
  ];
  for (const n of g.nodes) {
    out.push(
      `    <node id="${xml(n.id)}"><data key="label">${xml(n.label)}</data><data key="type">${xml(n.type)}</data><data key="account">${xml(n.resource.account)}</data></node>`,
    );
  }
  g.edges.forEach((e, i) => {
    out.push(
      `    <edge id="${edgeId(i)}" source="${xml(e.from)}" target="${xml(e.to)}"><data key="kind">${e.kind}</data><data key="evidence">${xml(e.evidence)}</data></edge>`,
    );
  });
  out.push('  </graph>', '</graphml>');
  return `${out.join('\n')}\n`;
}

export function renderGraph(g: GraphSelection, format: GraphFormat): string {
  if (format === 'dot') return toDot(g);
  if (format === 'graphml') return toGraphml(g);
  return toCytoscape(g);
}
