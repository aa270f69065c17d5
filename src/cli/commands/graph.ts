import { type Command, InvalidArgumentError } from 'commander';
import { scanInventory } from '../../engine/scan.js';
import { explainFinding, explainResource } from '../../graph/explain.js';
import { GRAPH_FORMATS, type GraphFormat, renderGraph } from '../../graph/export/formats.js';
import { graphFactsFor } from '../../graph/facts/index.js';
import { linkResources } from '../../graph/link.js';
import { findNode, selectGraph } from '../../graph/select.js';
import { loadPolicySet } from '../../policy/load-set.js';
import { InputError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { collect, parseParams } from '../options.js';
import { addSourceOptions, loadSourcesReported, type SourceOptions } from '../source-options.js';
import { writeOutput } from '../write-output.js';

interface GraphOptions extends SourceOptions {
  format: GraphFormat;
  output?: string;
  account?: string;
  type?: string[];
  around?: string;
  depth: number;
}

interface ExplainOptions extends SourceOptions {
  policies?: string[];
  builtin: boolean;
  param?: string[];
}

function parseGraphFormat(value: string): GraphFormat {
  if (!(GRAPH_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${GRAPH_FORMATS.join(', ')}`);
  }
  return value as GraphFormat;
}

function parseDepth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new InvalidArgumentError('expected a whole number from 0 to 10');
  return n;
}

export function addGraphCommands(program: Command, setExit: (code: number) => void): void {
  addSourceOptions(
    program
      .command('graph')
      .description('export the relationship graph of the inputs (Cytoscape JSON, Graphviz DOT or GraphML)')
      .argument('[paths...]', 'files, directories or snapshots, as for scan'),
  )
    .option(
      '-f, --format <format>',
      'json (Cytoscape elements), dot or graphml',
      parseGraphFormat,
      'json' as GraphFormat,
    )
    .option('-o, --output <file>', 'write the graph to a file instead of stdout')
    .option('--account <id>', 'only resources of this account')
    .option('--type <type>', 'only resources of this type (repeatable)', collect)
    .option('--around <id>', 'only the neighbourhood of this resource (id, IaC address or unique name)')
    .option('--depth <n>', 'hops around --around', parseDepth, 2)
    .action(async (paths: string[], opts: GraphOptions) => {
      // Every relationship counts, so everything is read (no policy decides what to collect).
      const { inventory } = await loadSourcesReported(paths, opts);
      linkResources(inventory.resources);
      const { graph } = graphFactsFor(inventory.resources);
      const selection = selectGraph(graph, {
        ...(opts.account !== undefined ? { account: opts.account } : {}),
        ...(opts.type ? { types: opts.type } : {}),
        ...(opts.around !== undefined ? { around: opts.around } : {}),
        depth: opts.depth,
      });
      writeOutput(renderGraph(selection, opts.format), opts.output);
      if (opts.output) {
        process.stderr.write(
          `warden: ${selection.nodes.length} nodes, ${selection.edges.length} edges → ${opts.output}\n`,
        );
      }
      setExit(EXIT.ok);
    });

  addSourceOptions(
    program
      .command('explain')
      .description(
        'explain a finding (by fingerprint) or a resource (id, IaC address or name): path and evidence in words',
      )
      .argument('<what>', 'finding fingerprint (or a unique prefix of 8+ characters) or resource')
      .argument('[paths...]', 'the inputs the finding came from, as for scan'),
  )
    .option('-p, --policies <path>', 'policy file or directory to add (repeatable)', collect)
    .option('--no-builtin', 'do not load the built-in policy packs')
    .option('--param <policy.name=value>', 'set a policy parameter (repeatable)', collect)
    .action(async (what: string, paths: string[], opts: ExplainOptions) => {
      const policies = await loadPolicySet({
        paths: opts.policies ?? [],
        builtIn: opts.builtin,
        parameters: parseParams(opts.param),
      });
      const { inventory } = await loadSourcesReported(paths, opts, { policies: policies.compiled });
      const report = scanInventory(inventory, policies);
      const facts = graphFactsFor(inventory.resources);
      const byFingerprint = /^[0-9a-f]{8,32}$/.test(what)
        ? report.results.filter((r) => r.fingerprint.startsWith(what))
        : [];
      if (byFingerprint.length > 1)
        throw new InputError(
          `fingerprint prefix "${what}" matches ${byFingerprint.length} results; give more characters`,
        );
      const finding = byFingerprint[0];
      if (finding) {
        const def = report.policies.find((d) => d.id === finding.policy);
        process.stdout.write(explainFinding(finding, def, facts));
        setExit(EXIT.ok);
        return;
      }
      const node = findNode(facts.graph, what);
      if (!node)
        throw new InputError(
          `no finding with fingerprint or resource named "${what}" in ${inventory.inputs.join(', ') || 'the inputs'}`,
        );
      process.stdout.write(explainResource(node, facts, report.results));
      setExit(EXIT.ok);
    });
}
