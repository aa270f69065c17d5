import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tuneRuntime } from '../../../src/cli/runtime-tuning.js';

describe('runtime tuning', () => {
  it('leaves a tier-up budget the user passed alone', () => {
    assert.equal(tuneRuntime(['--interrupt-budget=1000'], undefined), false);
    assert.equal(tuneRuntime([], '--max-old-space-size=4096 --interrupt_budget=1000'), false);
  });

  it('sets its own budget otherwise', () => {
    assert.equal(tuneRuntime(['--enable-source-maps'], '--max-old-space-size=4096'), true);
  });
});
