export { affectedPolicies, policiesByType } from './affected.js';
export { parseCloudTrailRecord } from './aws.js';
export { AWS_EVENT_MAP, mappedEventCount, type TouchRule } from './aws-event-map.js';
export {
  type AwsMessage,
  CLOUDTRAIL_DETAIL_TYPE,
  type ObjectFetcher,
  parseAwsDocument,
  parseAwsMessage,
  parseCloudTrailFile,
  readTrailObject,
  type TrailObjectRef,
} from './aws-intake.js';
export { parseAzureActivityEvent } from './azure.js';
export { parseGcpAuditEntry } from './gcp.js';
export { type ParsedEvents, parseEventText } from './intake.js';
export { EventIntake, type IntakeResult } from './intake-session.js';
export * from './types.js';
