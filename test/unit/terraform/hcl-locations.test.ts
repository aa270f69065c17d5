import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockEnd, findBlocks, inlineSkips } from '../../../src/sources/terraform/hcl/locations.js';

const SOURCE = `# header comment

# warden:skip=aws-s3-bucket-public,aws-s3-bucket-logging public website
// warden:skip=aws-s3-bucket-versioning
resource "aws_s3_bucket" "site" {
  bucket = "site-\${var.env}" # a } in a comment
  policy = jsonencode({ a = "}{", b = "\${lookup(local.m, "}")}" })
  doc    = <<-EOT
    }
  EOT
  /* warden:skip=other-policy reason in a block comment */
}

resource "aws_s3_bucket" "next" {
  # warden:skip=aws-s3-bucket-public
}

# warden:skip=not-this-one separated by a blank line

resource aws_s3_bucket bare { bucket = "x" }
`;

describe('HCL block locations and inline skips', () => {
  it('finds block headers by their labels, quoted or bare', () => {
    const [site] = findBlocks(SOURCE, 'resource', ['aws_s3_bucket', 'site']);
    assert.equal(site?.line, 5);
    assert.deepEqual(
      findBlocks(SOURCE, 'resource', ['aws_s3_bucket', 'bare']).map((s) => s.line),
      [20],
    );
    assert.deepEqual(findBlocks(SOURCE, 'resource', ['aws_s3_bucket', 'missing']), []);
  });

  it('ends a block at its own closing brace, past braces in strings, comments and heredocs', () => {
    const [site] = findBlocks(SOURCE, 'resource', ['aws_s3_bucket', 'site']);
    assert.ok(site);
    assert.equal(SOURCE.slice(site.end - 2, site.end + 1), '\n}\n');
    assert.equal(SOURCE.slice(0, site.end).split('\n').length, 12);
    const open = SOURCE.indexOf('{ bucket = "x" }');
    assert.equal(blockEnd(SOURCE, open), open + '{ bucket = "x" }'.length);
  });

  it('collects skips above the header and inside the block, with a default reason', () => {
    const [site] = findBlocks(SOURCE, 'resource', ['aws_s3_bucket', 'site']);
    assert.ok(site);
    assert.deepEqual(inlineSkips(SOURCE, site), [
      { policy: 'aws-s3-bucket-public', reason: 'public website' },
      { policy: 'aws-s3-bucket-logging', reason: 'public website' },
      { policy: 'aws-s3-bucket-versioning', reason: 'skipped inline' },
      { policy: 'other-policy', reason: 'reason in a block comment' },
    ]);
    const [next] = findBlocks(SOURCE, 'resource', ['aws_s3_bucket', 'next']);
    assert.ok(next);
    assert.deepEqual(inlineSkips(SOURCE, next), [
      { policy: 'aws-s3-bucket-public', reason: 'skipped inline' },
    ]);
  });

  it('ignores a skip comment separated from the block by a blank line', () => {
    const [bare] = findBlocks(SOURCE, 'resource', ['aws_s3_bucket', 'bare']);
    assert.ok(bare);
    assert.deepEqual(inlineSkips(SOURCE, bare), []);
  });
});
