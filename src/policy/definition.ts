import * as z from 'zod';
import { SEVERITIES } from '../model/result.js';

/** Where a policy came from, for error messages and listings. */
export interface PolicyOrigin {
  file: string;
  line: number;
  column: number;
  /** True for the packs shipped with Warden. */
  builtIn: boolean;
}

const exceptionSchema = z
  .object({
    tag: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    resource: z.string().optional(),
    reason: z.string().optional(),
  })
  .strict();

const parameterSchema = z
  .object({
    description: z.string().optional(),
    type: z.enum(['string', 'number', 'boolean', 'list', 'cidr-list']).optional(),
    default: z.unknown(),
  })
  .strict();

export const policySchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'id must be lower-case letters, digits, ".", "_" or "-"')
      .max(128),
    resource: z.union([z.string(), z.array(z.string()).min(1)]),
    severity: z.enum(SEVERITIES as [string, ...string[]]),
    title: z.string().min(1),
    description: z.string().optional(),
    remediation: z.string().optional(),
    frameworks: z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String))).optional(),
    filters: z.array(z.unknown()).min(1),
    exceptions: z.array(exceptionSchema).optional(),
    parameters: z.record(z.string(), parameterSchema).optional(),
    /** Remediation actions (Custodian style); validated for shape here, executed by `remediate`. */
    actions: z.array(z.object({ type: z.string() }).passthrough()).optional(),
    mode: z
      .object({ type: z.enum(['report', 'remediate', 'ask']) })
      .strict()
      .optional(),
    tags: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export type PolicyDocumentEntry = z.infer<typeof policySchema>;

export const POLICY_KEYS: readonly string[] = Object.keys(policySchema.shape);

export interface PolicyDefinition {
  id: string;
  resourceTypes: string[];
  severity: (typeof SEVERITIES)[number];
  title: string;
  description: string;
  remediation: string;
  frameworks: Record<string, string[]>;
  filters: unknown[];
  exceptions: { tag?: Record<string, string>; resource?: string; reason?: string }[];
  parameters: Record<string, { description?: string; type?: string; default: unknown }>;
  actions: { type: string; [k: string]: unknown }[];
  mode: 'report' | 'remediate' | 'ask';
  tags: string[];
  enabled: boolean;
  origin: PolicyOrigin;
}

export function toDefinition(entry: PolicyDocumentEntry, origin: PolicyOrigin): PolicyDefinition {
  return {
    id: entry.id,
    resourceTypes: Array.isArray(entry.resource) ? entry.resource : [entry.resource],
    severity: entry.severity as PolicyDefinition['severity'],
    title: entry.title,
    description: entry.description ?? entry.title,
    remediation: entry.remediation ?? '',
    frameworks: entry.frameworks ?? {},
    filters: entry.filters,
    exceptions: (entry.exceptions ?? []).map((e) => ({
      ...(e.tag ? { tag: Object.fromEntries(Object.entries(e.tag).map(([k, v]) => [k, String(v)])) } : {}),
      ...(e.resource !== undefined ? { resource: e.resource } : {}),
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
    })),
    parameters: (entry.parameters ?? {}) as PolicyDefinition['parameters'],
    actions: (entry.actions ?? []) as PolicyDefinition['actions'],
    mode: entry.mode?.type ?? 'report',
    tags: entry.tags ?? [],
    enabled: entry.enabled ?? true,
    origin,
  };
}
