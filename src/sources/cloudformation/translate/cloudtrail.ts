import { isUnknown, UNKNOWN } from '../../../model/unknown.js';
import type { TypeSpec } from '../draft.js';
import { orDefault, type Props } from '../props.js';
import { mapList, stringsOf } from './common.js';

function eventSelectors(props: Props): unknown {
  const selectors = props.objects('EventSelectors');
  // With no selectors of either kind a trail logs all management events.
  if (selectors === undefined) {
    return props.has('AdvancedEventSelectors')
      ? []
      : [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [],
            ExcludeManagementEventSources: [],
          },
        ];
  }
  return mapList(selectors, (selector, i) => {
    const label = `EventSelectors[${i}]`;
    return {
      ReadWriteType: orDefault(
        props.toStr(selector.ReadWriteType, `${label}.ReadWriteType`, 'EventSelectors'),
        'All',
      ),
      IncludeManagementEvents: orDefault(
        props.toBool(selector.IncludeManagementEvents, `${label}.IncludeManagementEvents`, 'EventSelectors'),
        true,
      ),
      DataResources:
        mapList(
          props.objectsOf(selector.DataResources, `${label}.DataResources`, 'EventSelectors'),
          (resource) => ({
            Type: props.toStr(resource.Type, `${label}.DataResources.Type`, 'EventSelectors'),
            Values:
              stringsOf(props, resource.Values, `${label}.DataResources.Values`, 'EventSelectors') ?? [],
          }),
        ) ?? [],
      ExcludeManagementEventSources:
        stringsOf(
          props,
          selector.ExcludeManagementEventSources,
          `${label}.ExcludeManagementEventSources`,
          'EventSelectors',
        ) ?? [],
    };
  });
}

export const trail: TypeSpec = {
  type: 'aws.cloudtrail.trail',
  nameKey: 'Name',
  refAttributes: { KMSKeyId: 'KmsKeyId' },
  translate(props) {
    const isLogging = props.bool('IsLogging');
    const advanced = props.list('AdvancedEventSelectors');
    return {
      Name: props.str('TrailName') ?? UNKNOWN,
      TrailARN: UNKNOWN,
      S3BucketName: props.str('S3BucketName'),
      S3KeyPrefix: props.str('S3KeyPrefix'),
      IsMultiRegionTrail: orDefault(props.bool('IsMultiRegionTrail'), false),
      IncludeGlobalServiceEvents: orDefault(props.bool('IncludeGlobalServiceEvents'), true),
      LogFileValidationEnabled: orDefault(props.bool('EnableLogFileValidation'), false),
      IsOrganizationTrail: orDefault(props.bool('IsOrganizationTrail'), false),
      KmsKeyId: props.str('KMSKeyId'),
      CloudWatchLogsLogGroupArn: props.str('CloudWatchLogsLogGroupArn'),
      CloudWatchLogsRoleArn: props.str('CloudWatchLogsRoleArn'),
      SnsTopicName: props.str('SnsTopicName'),
      Status: {
        IsLogging: isLogging === undefined ? props.fail('IsLogging is required', 'IsLogging') : isLogging,
      },
      EventSelectors: eventSelectors(props),
      AdvancedEventSelectors: advanced === undefined ? [] : isUnknown(advanced) ? UNKNOWN : advanced,
    };
  },
};
