import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Limiter, mapLimit } from '../../../src/sources/aws/limiter.js';

describe('Limiter', () => {
  it('never runs more than its limit at once, and releases a slot when a task fails', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const task = (fail: boolean) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        if (fail) throw new Error('denied');
        return 'ok';
      });
    const results = await Promise.allSettled([task(true), task(false), task(true), task(false), task(false)]);
    assert.equal(peak, 2);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
  });

  it('keeps the input order in mapLimit', async () => {
    const out = await mapLimit([3, 1, 2], 2, async (n) => {
      await new Promise((r) => setTimeout(r, n));
      return n * 10;
    });
    assert.deepEqual(out, [30, 10, 20]);
  });
});
