import type { Provider } from '../../../model/resource.js';
import type { Values } from './values.js';

const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+/;

function awsRegion(v: Values): string | undefined {
  if (typeof v.region === 'string' && AWS_REGION.test(v.region)) return v.region;
  if (typeof v.availability_zone === 'string') return AWS_REGION.exec(v.availability_zone)?.[0];
  if (typeof v.arn === 'string') {
    const region = v.arn.split(':')[3];
    if (region) return region;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The region a resource lives in: its own attributes first (an AZ, a location, an ARN in state), then
 * its provider's configured region. Global services have ''.
 */
export function regionOf(provider: Provider, v: Values, providerRegion: string, global = false): string {
  if (global) return '';
  switch (provider) {
    case 'aws':
      return awsRegion(v) ?? providerRegion;
    case 'azure':
      return text(v.location)?.replace(/\s+/g, '').toLowerCase() ?? providerRegion;
    case 'gcp': {
      const zone = text(v.zone);
      return (
        text(v.region) ??
        (zone ? zone.replace(/-[a-z]$/, '') : undefined) ??
        text(v.location)?.toLowerCase() ??
        providerRegion
      );
    }
    case 'openstack':
      return text(v.region) ?? providerRegion;
  }
}
