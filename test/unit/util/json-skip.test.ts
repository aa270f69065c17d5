import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipJsonValue } from '../../../src/util/json-skip.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

/** What JSON.parse says about a whole text: a value, or not. */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** skipJsonValue accepts a text when it ends exactly at the end (no surrounding whitespace here). */
function accepts(text: string): boolean {
  const b = bytes(text);
  return skipJsonValue(b, 0) === b.length;
}

const VALID = [
  '0',
  '-0',
  '12.5e-3',
  '1E+9',
  '-3.25',
  'true',
  'false',
  'null',
  '""',
  '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9"',
  '"ünïcödé ✓"',
  '{}',
  '[]',
  '[ ]',
  '{ }',
  '{"a":1}',
  '{ "a" : [ 1 , {"b":null} ] , "c" : "}" }',
  '[[[[]]],{"x":{"y":[true,false]}}]',
  '{"k":"\\"prior_state\\":{"}',
];

const INVALID = [
  '',
  '01',
  '-',
  '1.',
  '.5',
  '1e',
  '+1',
  'tru',
  'nul',
  'True',
  '"abc',
  '"a\\x"',
  '"a\\u12g4"',
  '"tab\there"',
  '{',
  '[',
  '{"a":1,}',
  '[1,]',
  '[1 2]',
  '{"a" 1}',
  '{"a":}',
  '{a:1}',
  "{'a':1}",
  '{"a":1]',
  '[1}',
  '{"a":1}}',
  '[,1]',
  '{,"a":1}',
];

describe('skipJsonValue', () => {
  for (const text of VALID) {
    it(`accepts ${text}`, () => {
      assert.equal(parses(text), true, 'the fixture itself is valid JSON');
      assert.equal(accepts(text), true);
    });
  }
  for (const text of INVALID) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(accepts(text), false);
    });
  }

  it('returns the end of the first value, leaving what follows to the caller', () => {
    const b = bytes('{"a":[1,2]} ,"next":3');
    assert.equal(skipJsonValue(b, 0), 11);
    assert.equal(skipJsonValue(bytes('xx"str"yy'), 2), 7);
  });

  it('agrees with JSON.parse on thousands of mutated documents', () => {
    const base = JSON.stringify({
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_s3_bucket.b',
          change: { after: { tags: { prior_state: 'x', n: -1.5e3 } }, ok: true },
        },
        {
          address: 'aws_vpc.v',
          change: { after: { cidr_block: '10.0.0.0/16', list: [null, false, '\u00e9\\"'] } },
        },
      ],
    });
    const alphabet = '{}[]:,"\\ 0123456789-+.eEtrufalsn\u0001x';
    // A fixed-seed generator keeps the test repeatable.
    let seed = 20260101;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let accepted = 0;
    for (let round = 0; round < 4000; round++) {
      const chars = [...base];
      const edits = 1 + random(3);
      for (let e = 0; e < edits; e++) {
        const at = random(chars.length);
        const c = alphabet[random(alphabet.length)]!;
        const op = random(3);
        if (op === 0) chars[at] = c;
        else if (op === 1) chars.splice(at, 0, c);
        else chars.splice(at, 1);
      }
      const text = chars.join('');
      const expected = parses(text) && !/^\s|\s$/.test(text);
      assert.equal(accepts(text), expected, `disagreement on ${text}`);
      if (expected) accepted++;
    }
    // Both outcomes must occur, or the comparison proves little.
    assert.ok(accepted > 100 && accepted < 3900, `accepted ${accepted}`);
  });
});
