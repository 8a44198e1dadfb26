/**
 * Cohort admission simulated against the quotas (issue 21): the site's
 * ClusterQueues, LocalQueues, Kueue's manager config and each tenant's
 * ResourceQuota, exactly as the factory builds them, run through a model of
 * Kueue v0.19.2 and the quota controller (test/upstream/kueueCohort.ts) with
 * workloads fast-check makes up: nominal use, borrowing, lending, reclaim,
 * jobs that name no queue, inference Deployments scaling.
 */
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterQueueSpec, defaultLocalQueueSpec, kueueManagerConfig, localQueueSpec, tenantQuotaHard } from "../../components";
import type { QueueContext } from "../../components";
import { CONFIG_NAMESPACE, type FactoryConfig, entitlementInputsOf, gpuFlavors, gpuQuotas, parseFactoryConfig, resourceEntitlements } from "../../config";
import { readStackConfig } from "../../plan";
import { ROOT, osloRaw, parseConfig } from "../helpers";
import { KueueCluster, type QueueView, type SiteView, type Violation, type Workload } from "../upstream/kueueCohort";

function stackRaw(stack: string): Record<string, unknown> {
  const engine = readStackConfig(path.join(ROOT, `Pulumi.${stack}.yaml`));
  return Object.fromEntries(Object.entries(engine).map(([k, v]) => [k.slice(CONFIG_NAMESPACE.length + 1), JSON.parse(v) as unknown]));
}

type Selector = { matchExpressions?: { key: string; operator: string; values: string[] }[] };
type QueueSpec = {
  cohortName?: string;
  namespaceSelector?: { matchLabels?: Record<string, string> };
  resourceGroups: { flavors: { name: string; resources: { name: string; nominalQuota: number; borrowingLimit?: number; lendingLimit?: number }[] }[] }[];
};

/** A ClusterQueue spec as Kueue reads it. */
function queueView(name: string, spec: QueueSpec): QueueView {
  return {
    name,
    cohort: spec.cohortName,
    namespace: spec.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"],
    flavors: spec.resourceGroups.flatMap((g) =>
      g.flavors.flatMap((f) => f.resources.map((r) => ({ flavor: f.name, resource: r.name, nominal: r.nominalQuota, borrowingLimit: r.borrowingLimit, lendingLimit: r.lendingLimit }))),
    ),
  };
}

/** `managedJobsNamespaceSelector`; without one, Kueue's default leaves out only kube-system and its own namespace. */
function selects(selector: Selector | undefined, namespace: string): boolean {
  const exprs = selector?.matchExpressions ?? [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", "kueue-system"] }];
  return exprs.every((e) => (e.operator === "In" ? e.values.includes(namespace) : !e.values.includes(namespace)));
}

interface Legacy {
  /** ResourceQuotas with only `requests.nvidia.com/gpu` (before MIG quotas). */
  readonly wholeGpuQuotaOnly?: boolean;
  /** Kueue as before: workloads that name no queue are not Kueue's, no LocalQueue `default`. */
  readonly unmanaged?: boolean;
}

/** What the factory declares for a site, as the simulation reads it. */
function siteView(config: FactoryConfig, legacy: Legacy = {}): SiteView {
  const ctx: QueueContext = { site: config.site, cluster: config.cluster, tenants: config.tenants, pools: config.gpuPools, flavors: gpuFlavors(config.gpuPools, config.cluster.gpuOperator.migStrategy) };
  const names = config.tenants.map((t) => t.name);
  const manager = kueueManagerConfig(config.cluster.kueue, names) as { manageJobsWithoutQueueName: boolean; managedJobsNamespaceSelector: Selector };
  const localQueues = config.tenants.flatMap((t) => [localQueueSpec(ctx, t), ...(legacy.unmanaged === true ? [] : [defaultLocalQueueSpec(ctx, t)])]);
  return {
    queues: config.tenants.map((t) => queueView(t.name, clusterQueueSpec(ctx, t).spec as QueueSpec)),
    localQueues: localQueues.map((l) => ({ namespace: l.metadata.namespace ?? "", name: l.metadata.name, clusterQueue: (l.spec as { clusterQueue: string }).clusterQueue })),
    quotas: new Map(config.tenants.map((t) => [t.name, tenantQuotaHard(t.quotas, legacy.wholeGpuQuotaOnly === true ? undefined : gpuQuotas(entitlementInputsOf(config), t))])),
    manageJobsWithoutQueueName: legacy.unmanaged === true ? false : manager.manageJobsWithoutQueueName,
    managesNamespace: (ns) => selects(legacy.unmanaged === true ? undefined : manager.managedJobsNamespaceSelector, ns),
    physical: new Map(ctx.flavors.map((f) => [f.name, f.physical])),
  };
}

/** One thing that happens on the site. */
type Step =
  | { readonly type: "submit"; readonly tenant: number; readonly resource: number; readonly count: number; readonly priority: number; readonly queue: "gpu" | "none"; readonly kind: "job" | "pods" }
  | { readonly type: "scale"; readonly service: number; readonly replicas: number }
  | { readonly type: "finish"; readonly pick: number };

const step = (tenantPods: boolean): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ type: fc.constant("submit" as const), tenant: fc.nat(9), resource: fc.nat(9), count: fc.integer({ min: 1, max: 16 }), priority: fc.nat(2), queue: fc.constantFrom("gpu" as const, "none" as const), kind: tenantPods ? fc.constantFrom("job" as const, "pods" as const) : fc.constant("job" as const) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant("scale" as const), service: fc.nat(9), replicas: fc.nat(4) }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant("finish" as const), pick: fc.nat(99) }) },
  );

/** Runs steps on a site; returns every broken promise. */
function simulate(config: FactoryConfig, steps: readonly Step[], legacy: Legacy = {}): Violation[] {
  const cluster = new KueueCluster(siteView(config, legacy));
  const resources = [...new Set(gpuFlavors(config.gpuPools, config.cluster.gpuOperator.migStrategy).map((f) => f.resource))];
  const poolFlavors = (pool: string) => gpuFlavors(config.gpuPools, config.cluster.gpuOperator.migStrategy).filter((f) => f.pool === pool).map((f) => f.name);
  const replicas = new Map<number, number[]>(); // service index -> workload ids, one per pod
  let id = 0;
  for (const s of steps) {
    if (s.type === "submit") {
      const tenant = config.tenants[s.tenant % config.tenants.length]!;
      const w: Workload = { id: id++, namespace: tenant.name, queueName: s.queue === "gpu" ? "gpu" : undefined, resource: resources[s.resource % resources.length]!, count: s.count, priority: s.priority, kind: s.kind };
      cluster.submit(w);
    } else if (s.type === "scale" && config.inference.length > 0) {
      // A declared inference service scales within its range: each pod is its own workload, created gated, queued at inference priority.
      const i = s.service % config.inference.length;
      const svc = config.inference[i]!;
      const want = Math.min(Math.max(s.replicas, typeof svc.replicas === "number" ? svc.replicas : svc.replicas.min), typeof svc.replicas === "number" ? svc.replicas : svc.replicas.max);
      const pods = replicas.get(i) ?? [];
      while (pods.length < want) {
        const w: Workload = { id: id++, namespace: svc.tenant, queueName: "gpu", resource: "nvidia.com/gpu", count: svc.gpusPerReplica, priority: 3, kind: "pods", origin: "factory", flavors: poolFlavors(svc.gpuPool) };
        pods.push(w.id);
        cluster.submit(w);
      }
      while (pods.length > want) cluster.finish(pods.pop()!);
      replicas.set(i, pods);
    } else if (s.type === "finish") {
      const ids = cluster.ids().filter((x) => ![...replicas.values()].some((p) => p.includes(x)));
      if (ids.length > 0) cluster.finish(ids[s.pick % ids.length]!);
    }
  }
  return cluster.violations;
}

const steps = (tenantPods = false) => fc.array(step(tenantPods), { minLength: 1, maxLength: 40 });
const oslo = parseConfig();
const rjukan = parseConfig(stackRaw("rjukan"));

/** Oslo's config before issue 21: each tenant's quota equal to its nominal GPUs, while its queue may borrow 4, 0 and 8 more. */
const osloBefore: FactoryConfig = { ...oslo, tenants: oslo.tenants.map((t, i) => ({ ...t, quotas: { ...t.quotas, gpus: [16, 16, 8][i]! } })) };

describe("the model of Kueue's cohort", () => {
  it("lends, borrows up to borrowingLimit, keeps what lendingLimit keeps back, and reclaims", () => {
    const cluster = new KueueCluster(siteView(oslo));
    const job = (id: number, namespace: string, count: number): Workload => ({ id, namespace, queueName: "gpu", resource: "nvidia.com/gpu", count, priority: 1, kind: "job" });
    // research (4 nominal on h100-train, borrowingLimit 8) borrows the 8 logistics lends there (12 nominal, lendingLimit 8).
    cluster.submit(job(1, "research", 12));
    expect(cluster.placement(1)).toBe("h100-train");
    // Past nominal plus borrowingLimit on every flavor: waits.
    cluster.submit(job(2, "research", 13));
    expect(cluster.placement(2)).toBeUndefined();
    // logistics still has the 4 it keeps back; then a flavor with room comes before preemption (l40s-infer: 4 own + 4 borrowed).
    cluster.submit(job(3, "logistics", 4));
    expect(cluster.placement(3)).toBe("h100-train");
    cluster.submit(job(4, "logistics", 8));
    expect(cluster.placement(4)).toBe("l40s-infer");
    // Then it takes back what it lent, within its nominal 12: research's borrowing job is evicted from h100-train,
    // and admitted again where it may borrow (dgx-h200: 4 own + 8 of what public-services lends).
    cluster.submit(job(5, "logistics", 8));
    expect(cluster.placement(5)).toBe("h100-train");
    expect(cluster.placement(1)).toBe("dgx-h200");
    expect(cluster.placement(2)).toBeUndefined();
    expect(cluster.violations).toEqual([]);
  });
});

describe("cohort admission against the quotas", () => {
  it.each([
    ["Oslo", oslo],
    ["Rjukan", rjukan],
  ])("on %s: no admitted workload's pods are refused by a quota, and no GPU is admitted or used that no queue owns", (_name, config) => {
    fc.assert(
      fc.property(steps(), (s) => {
        expect(simulate(config, s)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("on Oslo before issue 21, finds a borrowed admission whose pods the quota refuses", () => {
    // Only the quotas differ from today's plan: the borrowing the queues allow is what breaks.
    const result = fc.check(fc.property(steps(), (s) => simulate(osloBefore, s).length === 0), { numRuns: 500, seed: 21 });
    expect(result.failed).toBe(true);
    const found = simulate(osloBefore, result.counterexample?.[0] ?? []);
    expect(found.map((v) => v.kind)).toEqual(["refused"]);
  });

  it("on Rjukan before issue 21 (no MIG quota, unqueued pods not Kueue's), finds slices in use that no queue owns", () => {
    const result = fc.check(fc.property(steps(true), (s) => simulate(rjukan, s, { wholeGpuQuotaOnly: true, unmanaged: true }).length === 0), { numRuns: 500, seed: 21 });
    expect(result.failed).toBe(true);
    const found = simulate(rjukan, result.counterexample?.[0] ?? [], { wholeGpuQuotaOnly: true, unmanaged: true });
    expect(found.map((v) => v.kind)).toContain("unowned");
  });

  it("finds the factory's own server waiting gated in the quota when its tenant's nominal quota does not cover it (why config refuses that)", () => {
    // logistics with no nominal quota on h100-train, where nb-llama-docs runs 2 x 4 GPUs: it can only borrow 4 there.
    const logistics = oslo.tenants[0]!;
    const queue = { ...logistics.queue!, nominal: { "l40s-infer": 4 } };
    // Its quota is exactly what its queue may admit (4 + 4 + 8): only the waiting server can break it.
    const tenants = [{ ...logistics, queue, quotas: { ...logistics.quotas, gpus: 16 } }, ...oslo.tenants.slice(1)];
    const loose: FactoryConfig = { ...oslo, tenants };
    const parsed = parseFactoryConfig({ ...osloRaw(), tenants });
    expect(parsed.ok ? [] : parsed.problems.map((p) => p.path)).toEqual(["inference[1].replicas"]);
    const result = fc.check(fc.property(steps(), (s) => simulate(loose, s).length === 0), { numRuns: 2000, seed: 21 });
    expect(result.failed).toBe(true);
    const found = simulate(loose, result.counterexample?.[0] ?? []);
    expect(found).toContainEqual(expect.objectContaining({ kind: "refused", namespace: "logistics", tenantGated: 0 }));
  });

  it("with the tenant's own pod-based GPU workloads (gated, counted while they wait): only that tenant's own admitted Jobs can be refused, never past a queue", () => {
    for (const config of [oslo, rjukan]) {
      fc.assert(
        fc.property(steps(true), (s) => {
          for (const v of simulate(config, s)) {
            expect(v.kind).toBe("refused");
            expect(v.tenantGated).toBeGreaterThan(0);
          }
        }),
        { numRuns: 200 },
      );
    }
  });
});

/** A random valid site: Oslo's or Rjukan's pools and services, tenants with random classifications and queues, quotas the config accepts. */
const randomSite: fc.Arbitrary<FactoryConfig | undefined> = fc
  .record({
    base: fc.constantFrom("oslo", "rjukan"),
    tenants: fc.array(
      fc.record({
        classification: fc.constantFrom("open", "internal", "sensitive", "restricted"),
        share: fc.array(fc.nat(4), { minLength: 3, maxLength: 3 }),
        borrowingLimit: fc.option(fc.nat(16), { nil: undefined }),
        lendingLimit: fc.option(fc.nat(16), { nil: undefined }),
        perFlavor: fc.option(fc.record({ borrowing: fc.nat(8), lending: fc.nat(8) }), { nil: undefined }),
        slack: fc.nat(4),
      }),
      { minLength: 2, maxLength: 3 },
    ),
    shared: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  })
  .map(({ base, tenants, shared }) => {
    const raw = base === "oslo" ? osloRaw() : stackRaw("rjukan");
    const probe = parseConfig(raw);
    const flavors = gpuFlavors(probe.gpuPools, probe.cluster.gpuOperator.migStrategy);
    const old = probe.tenants;
    const list = tenants.map((t, i) => {
      // Each tenant gets a share of every flavor: the shares never add up to more than the flavor has.
      const nominal = Object.fromEntries(flavors.map((f, j) => [f.name, Math.floor((f.physical * (t.share[j % 3] ?? 0)) / (4 * tenants.length))]));
      // Per-flavor limits, when drawn, on the first flavor only: the others keep the queue's own.
      const first = flavors[0]?.name ?? "";
      const perFlavor = t.perFlavor === undefined ? {} : { borrowingLimits: { [first]: t.perFlavor.borrowing }, lendingLimits: { [first]: t.perFlavor.lending } };
      const queue = { nominal, ...(t.borrowingLimit === undefined ? {} : { borrowingLimit: t.borrowingLimit }), ...(t.lendingLimit === undefined ? {} : { lendingLimit: t.lendingLimit }), ...perFlavor };
      return { name: old[i]?.name ?? `tenant-${i}`, dataClassification: t.classification, quotas: { gpus: 999, storage: "10Ti" }, queue };
    });
    const pools = (raw["gpuPools"] as Record<string, unknown>[]).map((p, i) => ({ ...p, sharedWithSensitive: shared[i] ?? false }));
    const draft: Record<string, unknown> = { ...raw, tenants: list, gpuPools: pools };
    // Volumes, buckets and services of tenants this site no longer has go.
    const names = new Set(list.map((t) => t.name));
    const storage = raw["storage"] as { volumes?: { tenant: string }[]; buckets?: { tenant: string }[] };
    draft["storage"] = { ...storage, volumes: (storage.volumes ?? []).filter((v) => names.has(v.tenant)), buckets: (storage.buckets ?? []).filter((b) => names.has(b.tenant)) };
    draft["inference"] = ((raw["inference"] as { tenant: string }[] | undefined) ?? []).filter((s) => names.has(s.tenant));
    const parsed = parseFactoryConfig(draft);
    if (!parsed.ok) return undefined;
    // Quotas exactly as large as config must let them be, plus some slack.
    const inputs = entitlementInputsOf(parsed.config);
    draft["tenants"] = list.map((t, i) => {
      const slack = tenants[i]?.slack ?? 0;
      const tenant = parsed.config.tenants[i]!;
      const q = gpuQuotas(inputs, { ...tenant, quotas: { ...tenant.quotas, gpus: 0 } });
      const gpus = (resourceEntitlements(inputs, tenant).get("nvidia.com/gpu") ?? 0) + slack;
      const mig = Object.fromEntries([...q].filter(([r]) => r.startsWith("nvidia.com/mig-")).map(([r, n]) => [r.slice("nvidia.com/mig-".length), n + slack]));
      return { ...t, quotas: { gpus, ...(Object.keys(mig).length > 0 ? { mig } : {}), storage: "10Ti" } };
    });
    const second = parseFactoryConfig(draft);
    return second.ok ? second.config : undefined;
  });

describe("cohort admission on random valid sites", () => {
  it("admits no workload whose pods a quota refuses, and nothing no queue owns", () => {
    let sites = 0;
    fc.assert(
      fc.property(randomSite, steps(), (config, s) => {
        fc.pre(config !== undefined);
        sites++;
        expect(simulate(config, s)).toEqual([]);
      }),
      { numRuns: 100 },
    );
    expect(sites).toBeGreaterThan(20);
  });
});
