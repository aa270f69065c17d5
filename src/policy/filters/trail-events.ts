import type { Resource } from '../../model/resource.js';
import { asArray, asObj, objectItems } from '../../util/narrow.js';
import type { EvalContext } from '../context.js';
import { SpecError } from '../spec-error.js';
import { type Verdict, verdict } from '../verdict.js';
import type { CompiledFilter, FilterSpec, TypedFilter } from './types.js';

const CATEGORIES = ['management', 's3-write', 's3-read'] as const;
type Category = (typeof CATEGORIES)[number];

/** `arn:aws:s3` or `arn:aws:s3:::` (any partition): a data selector covering every bucket. */
const ALL_BUCKETS = /^arn:[a-z-]+:s3(:::)?$/;

function strings(v: unknown): string[] {
  return asArray(v).filter((x): x is string => typeof x === 'string');
}

/** Basic selectors (`EventSelectors`): one object per selector, ReadWriteType applies to all of it. */
function basicCovers(selector: Record<string, unknown>, category: Category): boolean {
  const rw = String(selector.ReadWriteType ?? 'All');
  if (category === 'management') return selector.IncludeManagementEvents === true && rw === 'All';
  const wantRw = category === 's3-write' ? 'WriteOnly' : 'ReadOnly';
  if (rw !== 'All' && rw !== wantRw) return false;
  return objectItems(selector.DataResources).some(
    (d) => d.Type === 'AWS::S3::Object' && strings(d.Values).some((v) => ALL_BUCKETS.test(v)),
  );
}

/** Advanced selectors: every field selector narrows; a `readOnly` one keeps only reads or writes. */
function advancedCovers(selector: Record<string, unknown>, category: Category): boolean {
  const fields = objectItems(selector.FieldSelectors);
  const field = (name: string) => fields.find((f) => f.Field === name);
  const equals = (name: string) => strings(field(name)?.Equals);
  const readOnly = equals('readOnly');
  if (category === 'management') {
    return equals('eventCategory').includes('Management') && field('readOnly') === undefined;
  }
  if (!equals('eventCategory').includes('Data') || !equals('resources.type').includes('AWS::S3::Object'))
    return false;
  // Any other narrowing of readOnly (NotEquals, …) is treated as partial coverage.
  const ro = field('readOnly');
  if (ro === undefined) return true;
  if (Object.keys(ro).some((k) => k !== 'Field' && k !== 'Equals')) return false;
  return category === 's3-write' ? readOnly.includes('false') : readOnly.includes('true');
}

/**
 * `trail-events`: true when the trail's event selectors (basic or advanced) record the whole event
 * category: `management` (all management events, read and write), `s3-write` / `s3-read` (S3 object
 * data events of every bucket). A trail without selectors records nothing here: adapters write out
 * AWS's default selector, and the live API returns it.
 */
export const trailEventsFilter: TypedFilter = {
  name: 'trail-events',
  description: 'the trail records a whole event category (management, s3-write, s3-read)',
  resourceTypes: ['aws.cloudtrail.trail'],
  options: ['category'],
  compile(spec: FilterSpec, env): CompiledFilter {
    const category = spec.category;
    if (typeof category !== 'string' || !(CATEGORIES as readonly string[]).includes(category)) {
      throw new SpecError([...env.at, 'category'], `category must be one of ${CATEGORIES.join(', ')}`);
    }
    const c = category as Category;
    const paths = ['EventSelectors', 'AdvancedEventSelectors'];
    return {
      paths,
      evaluate(resource: Resource, ctx: EvalContext): Verdict {
        const basic = objectItems(resource.config.EventSelectors);
        const hitBasic = basic.findIndex((s) => basicCovers(s, c));
        if (hitBasic >= 0)
          return verdict(true, [{ path: `EventSelectors[${hitBasic}]`, note: `records ${c} events` }]);
        const advanced = objectItems(resource.config.AdvancedEventSelectors);
        const hitAdv = advanced.findIndex((s) => advancedCovers(asObj(s), c));
        if (hitAdv >= 0)
          return verdict(true, [{ path: `AdvancedEventSelectors[${hitAdv}]`, note: `records ${c} events` }]);
        return (
          ctx.undecided(paths) ??
          verdict(false, [{ path: 'EventSelectors', note: `no event selector records all ${c} events` }])
        );
      },
    };
  },
};
