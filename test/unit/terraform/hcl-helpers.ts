import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TfResource } from '../../../src/sources/terraform/ir.js';

/** Paths relative to the working directory, so `file` fields read as a user would see them. */
function repoRelative(url: URL): string {
  return relative(process.cwd(), fileURLToPath(url));
}

/** The shared Terraform fixture (Terraform 1.11.4, hashicorp/aws 5.100.0), beside the repository. */
export const WEBAPP_DIR = repoRelative(
  new URL('../../../../shared/fixtures/terraform/webapp', import.meta.url),
);
export const HCL_FIXTURES = repoRelative(new URL('../../fixtures/terraform', import.meta.url));
export const POLICY_FIXTURES = repoRelative(new URL('../../fixtures/policies', import.meta.url));

export function resourceAt(resources: readonly TfResource[], address: string): TfResource {
  const found = resources.find((r) => r.address === address);
  assert.ok(found, `no resource ${address} among ${resources.map((r) => r.address).join(', ')}`);
  return found;
}
