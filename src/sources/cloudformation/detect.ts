const FORMAT_VERSION = /(^|[\s{,])["']?AWSTemplateFormatVersion["']?\s*:/m;
const RESOURCES = /(^|[\s{,])["']?Resources["']?\s*:/m;
const AWS_TYPE = /["']?Type["']?\s*:\s*["']?(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@-]+)/;

/**
 * Cheap content sniff, without parsing: a template version, or a `Resources` section whose types are
 * CloudFormation's (`AWS::…`, `Custom::…`). Works on YAML and JSON.
 */
export function looksLikeCloudFormation(text: string): boolean {
  if (FORMAT_VERSION.test(text)) return true;
  return RESOURCES.test(text) && AWS_TYPE.test(text);
}
