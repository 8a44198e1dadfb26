/**
 * Schemas of the Kueue objects the factory writes, as Kueue v0.19.2's CRDs
 * (`kueue.x-k8s.io/v1beta2`) constrain them: types, required fields, enums,
 * size limits and the validation rules the API server evaluates. No package
 * ships Kueue's models, so these are written here; they are stricter than
 * the API server in one way: a field Kueue does not know is an error, not
 * silently pruned.
 */
import { z } from "zod";

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;

const name = z.string().max(253).regex(DNS_SUBDOMAIN);
const quantity = z.union([z.number().int().nonnegative(), z.string().regex(QUANTITY)]);

const toleration = z
  .strictObject({
    key: z.string().optional(),
    operator: z.enum(["Equal", "Exists"]).optional(),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .refine((t) => t.key !== undefined || t.operator === "Exists", { error: "a toleration without key must use operator Exists" })
  .refine((t) => t.operator !== "Exists" || t.value === undefined, { error: "a toleration with operator Exists has no value" })
  .refine((t) => t.tolerationSeconds === undefined || t.effect === "NoExecute", { error: "tolerationSeconds needs effect NoExecute" });

const resourceFlavorSpec = z
  .strictObject({
    nodeLabels: z.record(z.string().regex(LABEL_KEY), z.string().max(63)).optional(),
    nodeTaints: z.array(z.strictObject({ key: z.string(), value: z.string().optional(), effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]) })).max(8).optional(),
    tolerations: z.array(toleration).max(8).optional(),
    topologyName: name.optional(),
  })
  .refine((s) => s.nodeLabels === undefined || Object.keys(s.nodeLabels).length <= 8, { error: "at most 8 nodeLabels" })
  .refine((s) => s.topologyName === undefined || Object.keys(s.nodeLabels ?? {}).length >= 1, {
    error: "at least one nodeLabel is required when topology is set",
  });

const flavorQuotas = z.strictObject({
  name: name,
  resources: z
    .array(z.strictObject({ name: z.string().min(1), nominalQuota: quantity, borrowingLimit: quantity.optional(), lendingLimit: quantity.optional() }))
    .min(1)
    .max(64),
});

const resourceGroup = z
  .strictObject({ coveredResources: z.array(z.string().min(1)).min(1).max(64), flavors: z.array(flavorQuotas).min(1).max(64) })
  .refine((g) => g.flavors.every((f) => f.resources.length === g.coveredResources.length), {
    error: "every flavor lists exactly the group's covered resources",
  });

const labelSelector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z.array(z.strictObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() })).optional(),
});

const clusterQueueSpec = z
  .strictObject({
    cohortName: name.optional(),
    namespaceSelector: labelSelector.optional(),
    resourceGroups: z.array(resourceGroup).max(16).optional(),
    preemption: z
      .strictObject({
        reclaimWithinCohort: z.enum(["Never", "LowerPriority", "Any"]).optional(),
        withinClusterQueue: z.enum(["Never", "LowerPriority", "LowerOrNewerEqualPriority"]).optional(),
        borrowWithinCohort: z.strictObject({ policy: z.enum(["Never", "LowerPriority"]).optional(), maxPriorityThreshold: z.number().int().optional() }).optional(),
      })
      .optional(),
    fairSharing: z.strictObject({ weight: quantity }).optional(),
  })
  .refine(
    (s) => s.cohortName !== undefined || (s.resourceGroups ?? []).every((g) => g.flavors.every((f) => f.resources.every((r) => r.borrowingLimit === undefined))),
    { error: "borrowingLimit needs a cohortName" },
  );

const topologySpec = z
  .strictObject({ levels: z.array(z.strictObject({ nodeLabel: z.string().min(1).max(316).regex(LABEL_KEY) })).min(1).max(16) })
  .refine((s) => new Set(s.levels.map((l) => l.nodeLabel)).size === s.levels.length, { error: "levels must be unique" })
  .refine(
    (s) => !s.levels.some((l) => l.nodeLabel === "kubernetes.io/hostname") || s.levels[s.levels.length - 1]?.nodeLabel === "kubernetes.io/hostname",
    { error: "kubernetes.io/hostname can only be the last level" },
  );

const objectWith = (spec: z.ZodType) => z.looseObject({ spec });

/** The schema of each Kueue kind the factory writes, by kind. */
export const KUEUE_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ResourceFlavor: objectWith(resourceFlavorSpec),
  ClusterQueue: objectWith(clusterQueueSpec),
  LocalQueue: objectWith(z.strictObject({ clusterQueue: name })),
  Cohort: objectWith(z.strictObject({ parentName: name.optional(), resourceGroups: z.array(resourceGroup).max(16).optional(), fairSharing: z.strictObject({ weight: quantity }).optional() })),
  Topology: objectWith(topologySpec),
  WorkloadPriorityClass: z.looseObject({ value: z.number().int().min(-2147483648).max(2147483647), description: z.string().max(2048).optional() }),
};

/** Problems with a Kueue object, by path; empty when it is valid. */
export function kueueProblems(obj: unknown, kind: string): string[] | undefined {
  const schema = KUEUE_SCHEMAS[kind];
  if (!schema) return undefined;
  const result = schema.safeParse(obj);
  return result.success ? [] : result.error.issues.map((i) => `schema: ${i.path.join(".") || "(object)"}: ${i.message}`);
}
