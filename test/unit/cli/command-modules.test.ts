import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { COMMAND_MODULES, modulesFor } from '../../../src/cli/command-modules.js';

describe('command modules', () => {
  it('each module registers exactly the commands it is listed with, in help order', async () => {
    const all: string[] = [];
    for (const m of COMMAND_MODULES) {
      const program = new Command();
      (await m.load())(program, () => {});
      assert.deepEqual(
        program.commands.map((c) => c.name()),
        [...m.names],
      );
      all.push(...m.names);
    }
    assert.equal(new Set(all).size, all.length, 'a command name is listed twice');
  });

  it('loads only the named command, nothing for --version, everything otherwise', () => {
    assert.deepEqual(
      modulesFor(['findings', '--db', 'x']).map((m) => m.names),
      [['scans', 'findings', 'history']],
    );
    assert.deepEqual(
      modulesFor(['plan', 'p.json']).map((m) => m.names),
      [['scan', 'plan']],
    );
    assert.deepEqual(modulesFor(['--version']), []);
    assert.equal(modulesFor([]).length, COMMAND_MODULES.length);
    assert.equal(modulesFor(['--help']).length, COMMAND_MODULES.length);
    assert.equal(modulesFor(['scna']).length, COMMAND_MODULES.length);
  });
});
