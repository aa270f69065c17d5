import type { Command } from 'commander';
import { addBaselineCommands } from './baseline.js';
import { addDriftCommand } from './drift.js';
import { addEnforcementCommands } from './enforcement.js';
import { addRecordCommands } from './records.js';

/** The commands that read and write the store: history, baselines, drift and enforcement. */
export function addStoreCommands(program: Command, setExit: (code: number) => void): void {
  addRecordCommands(program);
  addBaselineCommands(program);
  addDriftCommand(program, setExit);
  addEnforcementCommands(program);
}
