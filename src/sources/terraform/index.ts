/**
 * Terraform sources: `terraform show -json` plans and states, and the shared translation step the
 * HCL reader uses too. All three produce the same native resource model (docs/resource-types.md).
 */
export { type TerraformSourceKind, translateTerraform } from './inventory.js';
export { readTerraformPlan } from './plan.js';
export { readTerraformState } from './state.js';
