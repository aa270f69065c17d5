import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readHclDirectory, readHclLocations } from '../../../src/sources/terraform/hcl/index.js';
import { syntaxError } from '../../../src/sources/terraform/hcl/parser.js';
import { InputError } from '../../../src/util/errors.js';
import { HCL_FIXTURES } from './hcl-helpers.js';

async function inputError(dir: string): Promise<InputError> {
  try {
    await readHclDirectory(dir);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    return err;
  }
  assert.fail(`no error reading ${dir}`);
}

describe('HCL reader input errors', () => {
  it('reports a syntax error with its file, line and column', async () => {
    const err = await inputError(join(HCL_FIXTURES, 'hcl-syntax-error'));
    assert.equal(err.file, join(HCL_FIXTURES, 'hcl-syntax-error', 'main.tf'));
    assert.equal(err.line, 6);
    assert.equal(err.column, 26);
    assert.match(
      err.message,
      /^Invalid multi-line string: Quoted strings may not be split over multiple lines/,
    );
    assert.equal(err.message.includes('\n'), false);
  });

  it('reads the first diagnostic out of the parser message', () => {
    const err = syntaxError(
      'parse config: [main.tf:2,11-12: Invalid character; This character is not used within the language. main.tf:2,11-12: Missing newline after argument; An argument definition must end with a newline.]',
      'infra/main.tf',
    );
    assert.equal(
      err.format(),
      'infra/main.tf:2:11: Invalid character: This character is not used within the language',
    );
  });

  it('rejects a directory without .tf files, and one that does not exist', async () => {
    const empty = await inputError(join(HCL_FIXTURES, 'hcl-no-tf'));
    assert.equal(empty.format(), `${join(HCL_FIXTURES, 'hcl-no-tf')}: no Terraform files`);
    const missing = await inputError(join(HCL_FIXTURES, 'hcl-not-there'));
    assert.equal(missing.message, 'no such directory');
  });

  it('rejects a local module whose directory is missing, at the module block', async () => {
    const err = await inputError(join(HCL_FIXTURES, 'hcl-bad-module'));
    assert.equal(
      err.format(),
      `${join(HCL_FIXTURES, 'hcl-bad-module', 'main.tf')}:1:1: module "missing": source directory ./modules/does-not-exist not found`,
    );
  });

  it('reports a broken terraform.tfvars with its location', async () => {
    const err = await inputError(join(HCL_FIXTURES, 'hcl-bad-tfvars'));
    assert.equal(err.file, join(HCL_FIXTURES, 'hcl-bad-tfvars', 'terraform.tfvars'));
    assert.equal(err.line, 3);
    assert.match(err.message, /^Missing expression/);
  });

  it('rejects a resource declared twice, at the second declaration', async () => {
    const err = await inputError(join(HCL_FIXTURES, 'hcl-duplicate'));
    assert.equal(
      err.format(),
      `${join(HCL_FIXTURES, 'hcl-duplicate', 'b.tf')}:3:1: duplicate resource "aws_s3_bucket" "data"`,
    );
  });

  it('gives no locations (and no error) for a directory without .tf files', async () => {
    assert.equal((await readHclLocations(join(HCL_FIXTURES, 'hcl-no-tf'))).size, 0);
    assert.equal((await readHclLocations(join(HCL_FIXTURES, 'hcl-not-there'))).size, 0);
  });
});
