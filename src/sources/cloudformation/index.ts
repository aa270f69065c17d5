/** CloudFormation source: YAML/JSON templates → the native resource model (docs/resource-types.md). */
export { looksLikeCloudFormation } from './detect.js';
export { type CloudFormationOptions, readCloudFormation, UNJOINED_SUFFIX } from './read.js';
export { supportedTypes } from './registry.js';
