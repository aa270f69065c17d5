/**
 * Terraform HCL directories → TfResource IR (kind 'terraform-hcl'). Parsing is HashiCorp's parser via
 * `@cdktf/hcl2json`; this folder evaluates what it returns: variables, locals, count/for_each, local
 * modules, functions. What cannot be known before apply is the UNKNOWN marker, never a guess.
 */
export {
  type HclLocation,
  type HclReadResult,
  readHclDirectory,
  readHclDirectoryWithStats,
  readHclLocations,
  type SkippedModule,
} from './reader.js';
