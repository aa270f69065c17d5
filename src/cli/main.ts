#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { InputError } from '../util/errors.js';
import { VERSION } from '../version.js';
import { modulesFor } from './command-modules.js';
import { EXIT } from './exit-codes.js';
import { tuneRuntime } from './runtime-tuning.js';

/**
 * Entry point. Every failure ends as one line on stderr and a distinct exit code: input and usage
 * errors 2, internal errors 3 (with the stack only when WARDEN_DEBUG is set).
 */
async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command()
    .name('warden')
    .description(
      'Continuous cloud security and compliance: one policy set for Terraform, CloudFormation and live clouds',
    )
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of await Promise.all(modulesFor(argv.slice(2)).map((m) => m.load())))
    register(program, setExit);
  for (const cmd of program.commands) cmd.exitOverride();
  for (const cmd of program.commands.flatMap((c) => c.commands)) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof InputError) {
      process.stderr.write(`error: ${err.format()}\n`);
      return EXIT.usage;
    }
    const e = err as Error;
    process.stderr.write(`internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.WARDEN_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    return EXIT.internal;
  }
}

tuneRuntime(process.execArgv, process.env.NODE_OPTIONS);
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`internal error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = EXIT.internal;
  },
);
