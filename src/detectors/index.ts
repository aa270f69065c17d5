export { type Detection, detectorDefinition, toResult } from './findings.js';
export {
  DEFAULT_FLOW_FIELDS,
  type FlowFormat,
  type FlowRecord,
  parseFlowLine,
  parseFormatString,
} from './flow-log.js';
export {
  fromGuardDutyEvents,
  GUARDDUTY_DETAIL_TYPE,
  guardDutyPolicyId,
  guardDutySeverity,
} from './guardduty.js';
export { type LbRequest, parseLbLine } from './lb-log.js';
export { LB_SCANNER_POLICY, LbScannerDetector } from './lb-scanner.js';
export { type LogSource, readLines } from './lines.js';
export {
  type DetectorRun,
  detectFlowBruteForce,
  detectGuardDuty,
  detectLbScanners,
  type FlowLogOptions,
} from './run.js';
export {
  ADMIN_PORTS_POLICY,
  BRUTEFORCE_POLICY,
  isPrivateAddress,
  SshBruteForceDetector,
} from './ssh-bruteforce.js';

import { LB_SCANNER_DEFINITION } from './lb-scanner.js';
import { BRUTEFORCE_DEFINITION } from './ssh-bruteforce.js';

/** The log detectors' own policy descriptions (GuardDuty's are made per finding type). */
export const DETECTOR_DEFINITIONS = [LB_SCANNER_DEFINITION, BRUTEFORCE_DEFINITION];
