import { isUnknown, UNKNOWN } from '../../../model/unknown.js';
import { appendTo, type DraftIndex, inheritRefs, type JoinSpec, parentsOf, type TypeSpec } from '../draft.js';
import { orDefault, type Props } from '../props.js';
import { mapList, orGenerated, stringList, wrapStrings } from './common.js';

function availabilityZones(props: Props): unknown {
  const subnets = stringList(props, 'Subnets');
  if (subnets !== undefined) return wrapStrings(subnets, (SubnetId) => ({ SubnetId }));
  return (
    mapList(props.objects('SubnetMappings'), (mapping, i) => ({
      SubnetId: props.toStr(mapping.SubnetId, `SubnetMappings[${i}].SubnetId`, 'SubnetMappings'),
    })) ?? []
  );
}

/** `LoadBalancerAttributes: [{Key, Value}]` → the `{key: value}` form Warden uses. */
function attributes(props: Props): unknown {
  const list = props.objects('LoadBalancerAttributes');
  if (list === undefined) return {};
  if (isUnknown(list)) return UNKNOWN;
  const out: Record<string, unknown> = {};
  for (const item of list) {
    if (isUnknown(item)) return UNKNOWN;
    const key = props.toStr(item.Key, 'LoadBalancerAttributes.Key', 'LoadBalancerAttributes');
    if (typeof key !== 'string') return UNKNOWN;
    out[key] = props.toStr(item.Value, `LoadBalancerAttributes.${key}`, 'LoadBalancerAttributes');
  }
  return out;
}

export const loadBalancerV2: TypeSpec = {
  type: 'aws.elbv2.load-balancer',
  nameKey: 'LoadBalancerName',
  refAttributes: { Subnets: 'AvailabilityZones', SubnetMappings: 'AvailabilityZones' },
  translate(props) {
    return {
      LoadBalancerArn: UNKNOWN,
      LoadBalancerName: orGenerated(props.str('Name')),
      DNSName: UNKNOWN,
      Scheme: orDefault(props.str('Scheme'), 'internet-facing'),
      Type: orDefault(props.str('Type'), 'application'),
      IpAddressType: orDefault(props.str('IpAddressType'), 'ipv4'),
      SecurityGroups: stringList(props, 'SecurityGroups') ?? [],
      AvailabilityZones: availabilityZones(props),
      VpcId: UNKNOWN,
      Listeners: [],
      Attributes: attributes(props),
    };
  },
};

/** AWS::ElasticLoadBalancingV2::Listener → the load balancer's `Listeners`. */
export const listenerV2: JoinSpec = (props: Props, index: DraftIndex) => {
  const parents = parentsOf(props, index, 'LoadBalancerArn', loadBalancerV2.type);
  const listener = {
    Port: props.num('Port'),
    Protocol: props.str('Protocol'),
    SslPolicy: props.str('SslPolicy'),
    Certificates: mapList(props.objects('Certificates'), (cert, i) => ({
      CertificateArn: props.toStr(cert.CertificateArn, `Certificates[${i}].CertificateArn`, 'Certificates'),
    })),
    // DefaultActions already use the API's field names (Type, TargetGroupArn, RedirectConfig…).
    DefaultActions: props.list('DefaultActions') ?? [],
  };
  for (const parent of parents) {
    appendTo(parent, 'Listeners', listener);
    inheritRefs(parent, props, 'Listeners');
  }
  return parents.length;
};

export const targetGroup: TypeSpec = {
  type: 'aws.elbv2.target-group',
  nameKey: 'TargetGroupName',
  translate(props) {
    return {
      TargetGroupArn: UNKNOWN,
      TargetGroupName: orGenerated(props.str('Name')),
      Port: props.num('Port'),
      Protocol: props.str('Protocol'),
      VpcId: props.str('VpcId'),
      TargetType: orDefault(props.str('TargetType'), 'instance'),
      Targets:
        mapList(props.objects('Targets'), (target, i) => ({
          Id: props.toStr(target.Id, `Targets[${i}].Id`, 'Targets'),
          Port: props.toNum(target.Port, `Targets[${i}].Port`, 'Targets'),
        })) ?? [],
    };
  },
};

export const classicLoadBalancer: TypeSpec = {
  type: 'aws.elb.load-balancer',
  nameKey: 'LoadBalancerName',
  translate(props) {
    return {
      LoadBalancerName: orGenerated(props.str('LoadBalancerName')),
      DNSName: UNKNOWN,
      Scheme: orDefault(props.str('Scheme'), 'internet-facing'),
      ListenerDescriptions:
        mapList(props.objects('Listeners'), (listener, i) => {
          const label = `Listeners[${i}]`;
          return {
            Listener: {
              Protocol: props.toStr(listener.Protocol, `${label}.Protocol`, 'Listeners'),
              LoadBalancerPort: props.toNum(
                listener.LoadBalancerPort,
                `${label}.LoadBalancerPort`,
                'Listeners',
              ),
              InstanceProtocol: props.toStr(
                listener.InstanceProtocol,
                `${label}.InstanceProtocol`,
                'Listeners',
              ),
              InstancePort: props.toNum(listener.InstancePort, `${label}.InstancePort`, 'Listeners'),
              SSLCertificateId: props.toStr(
                listener.SSLCertificateId,
                `${label}.SSLCertificateId`,
                'Listeners',
              ),
            },
            PolicyNames: listener.PolicyNames ?? [],
          };
        }) ?? [],
      Instances: wrapStrings(stringList(props, 'Instances'), (InstanceId) => ({ InstanceId })) ?? [],
      SecurityGroups: stringList(props, 'SecurityGroups') ?? [],
      Subnets: stringList(props, 'Subnets') ?? [],
      AvailabilityZones: stringList(props, 'AvailabilityZones') ?? [],
    };
  },
};
