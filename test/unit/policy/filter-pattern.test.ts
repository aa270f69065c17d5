import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalPattern, parseFilterPattern, patternCovers } from '../../../src/policy/filter-pattern.js';

const covers = (found: string, required: string) =>
  patternCovers(parseFilterPattern(found)!, parseFilterPattern(required)!);

describe('CloudWatch filter pattern comparison', () => {
  it('normalises spacing, quoting, parentheses and order', () => {
    const a = parseFilterPattern('{ ($.eventName = CreateTrail) || ($.eventName = "StopLogging") }')!;
    const b = parseFilterPattern('{$.eventName="StopLogging"||(($.eventName=CreateTrail))}')!;
    assert.equal(canonicalPattern(a), '($.eventName = CreateTrail || $.eventName = StopLogging)');
    assert.equal(canonicalPattern(a), canonicalPattern(b));
    assert.equal(
      covers(
        '{$.eventName="StopLogging"||(($.eventName=CreateTrail))}',
        '{ ($.eventName = CreateTrail) || ($.eventName = StopLogging) }',
      ),
      true,
    );
  });

  it('flattens nested groups of the same kind', () => {
    assert.equal(
      canonicalPattern(parseFilterPattern('{ (($.a = 1) && ($.b = 2)) && $.c NOT EXISTS }')!),
      '($.a = 1 && $.b = 2 && $.c NOT EXISTS)',
    );
  });

  it('an OR group may watch more events; an AND group may not add conditions', () => {
    assert.equal(
      covers(
        '{ $.eventName = A || $.eventName = B || $.eventName = C }',
        '{ $.eventName = A || $.eventName = B }',
      ),
      true,
    );
    assert.equal(covers('{ $.eventName = A }', '{ $.eventName = A || $.eventName = B }'), false);
    assert.equal(covers('{ $.x = 1 && $.y = 2 && $.z = 3 }', '{ $.x = 1 && $.y = 2 }'), false);
    assert.equal(covers('{ $.x = 1 && $.y = 2 }', '{ $.y = 2 && $.x = 1 }'), true);
    assert.equal(
      covers(
        '{ ($.s = kms) && ($.e = DisableKey || $.e = ScheduleKeyDeletion || $.e = Other) }',
        '{ $.s = kms && ($.e = ScheduleKeyDeletion || $.e = DisableKey) }',
      ),
      true,
    );
  });

  it('compares values exactly and keeps operators apart', () => {
    assert.equal(covers('{ $.eventName = consolelogin }', '{ $.eventName = ConsoleLogin }'), false);
    assert.equal(covers('{ $.a != "x" }', '{ $.a = "x" }'), false);
    assert.equal(
      covers('{ $.errorMessage = "Failed authentication" }', '{ $.errorMessage = "Failed authentication" }'),
      true,
    );
  });

  it('rejects text that is not a JSON filter pattern', () => {
    for (const bad of [
      '',
      'ERROR',
      '{ $.a = }',
      '{ ($.a = 1 }',
      '{ $.a = 1 } trailing',
      '{ $.a = "unterminated }',
    ]) {
      assert.equal(parseFilterPattern(bad), undefined, bad);
    }
  });
});
