import type { Command } from 'commander';

export type RegisterCommands = (program: Command, setExit: (code: number) => void) => void;

/**
 * Every command module, the top-level commands it registers, in the order `--help` lists them. A run
 * of one command loads only its module (main.ts), so start-up does not compile the other commands'
 * code; help, an unknown command or options before the command load them all. A unit test checks the
 * names against what each module registers.
 */
export const COMMAND_MODULES: readonly { names: readonly string[]; load: () => Promise<RegisterCommands> }[] =
  [
    { names: ['scan', 'plan'], load: async () => (await import('./commands/scan.js')).addScanCommands },
    { names: ['policies'], load: async () => (await import('./commands/policies.js')).addPolicyCommands },
    { names: ['report'], load: async () => (await import('./commands/report.js')).addReportCommand },
    { names: ['detect'], load: async () => (await import('./commands/detect.js')).addDetectCommand },
    { names: ['events'], load: async () => (await import('./commands/events.js')).addEventsCommand },
    { names: ['notify'], load: async () => (await import('./commands/notify.js')).addNotifyCommands },
    {
      names: ['scans', 'findings', 'history'],
      load: async () => {
        const { addRecordCommands } = await import('./commands/records.js');
        return (program) => addRecordCommands(program);
      },
    },
    {
      names: ['baseline'],
      load: async () => {
        const { addBaselineCommands } = await import('./commands/baseline.js');
        return (program) => addBaselineCommands(program);
      },
    },
    { names: ['drift'], load: async () => (await import('./commands/drift.js')).addDriftCommand },
    {
      names: ['enforcement'],
      load: async () => {
        const { addEnforcementCommands } = await import('./commands/enforcement.js');
        return (program) => addEnforcementCommands(program);
      },
    },
    { names: ['graph', 'explain'], load: async () => (await import('./commands/graph.js')).addGraphCommands },
    { names: ['collect'], load: async () => (await import('./commands/collect.js')).addCollectCommand },
    { names: ['watch'], load: async () => (await import('./commands/watch.js')).addWatchCommand },
    { names: ['remediate'], load: async () => (await import('./commands/remediate.js')).addRemediateCommand },
    {
      names: ['audit'],
      load: async () => {
        const { addAuditCommand } = await import('./commands/audit.js');
        return (program) => addAuditCommand(program);
      },
    },
    {
      names: ['suppress', 'suppressions'],
      load: async () => {
        const { addSuppressCommands } = await import('./commands/suppress.js');
        return (program) => addSuppressCommands(program);
      },
    },
    {
      names: ['approvals'],
      load: async () => (await import('./commands/approvals.js')).addApprovalCommands,
    },
  ];

/** The modules a command line needs: the named command's own, none for `--version`, else all. */
export function modulesFor(args: readonly string[]): typeof COMMAND_MODULES {
  const first = args[0];
  if (first === '--version' || first === '-V') return [];
  const own = COMMAND_MODULES.filter((m) => first !== undefined && m.names.includes(first));
  return own.length > 0 ? own : COMMAND_MODULES;
}
