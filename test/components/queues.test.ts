import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { GPU_TAINT, NodeLabels } from "../../catalog";
import {
  PRIORITY_CLASSES,
  type QueueContext,
  clusterQueueSpec,
  defaultLocalQueueSpec,
  gateGuardBindingSpec,
  gateGuardDefinition,
  gateGuardPolicySpec,
  kueueManagerConfig,
  kueueReleaseArgs,
  localQueueSpec,
  nodePatchSpec,
  resourceFlavorSpec,
  serverDeploymentSpec,
  tenantNamespaceSelector,
  topologySpec,
  workloadPriorityClassSpecs,
} from "../../components";
import { type FactoryConfig, gpuFlavors, parseFactoryConfig } from "../../config";
import { evaluate } from "./admissionCel";
import { evaluatePolicies, kubernetesObjects, validateObject } from "../../plan";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";

const oslo = parseConfig();

function context(config: FactoryConfig): QueueContext {
  return {
    site: config.site,
    cluster: config.cluster,
    tenants: config.tenants,
    pools: config.gpuPools,
    flavors: gpuFlavors(config.gpuPools, config.cluster.gpuOperator.migStrategy),
  };
}
const ctx = context(oslo);
const tenant = (name: string) => oslo.tenants.find((t) => t.name === name)!;
type QueueSpec = { resourceGroups: { coveredResources: string[]; flavors: { name: string; resources: { name: string; nominalQuota: number; borrowingLimit?: number; lendingLimit?: number }[] }[] }[] };

describe("flavors", () => {
  it("select exactly the pool's nodes by the provisioning-only label, and tolerate exactly its taint", () => {
    for (const flavor of ctx.flavors) {
      const spec = resourceFlavorSpec(ctx, flavor).spec as { nodeLabels: Record<string, string>; tolerations: unknown[] };
      expect(spec.nodeLabels).toEqual({ [NodeLabels.gpuPool]: flavor.pool });
      expect(spec.tolerations).toEqual([{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }]);
    }
    expect(ctx.flavors.map((f) => [f.name, f.resource, f.physical])).toEqual([
      ["h100-train", "nvidia.com/gpu", 32],
      ["dgx-h200", "nvidia.com/gpu", 16],
      ["l40s-infer", "nvidia.com/gpu", 12],
    ]);
  });

  it("count MIG slices from the catalogue's layouts: a flavor per profile under mixed, slices as GPUs under single", () => {
    const mixed = parseConfig(osloWith({ "gpuPools[0].mig": "all-balanced", "cluster.gpuOperator": { migStrategy: "mixed" }, "tenants[0].queue.nominal": { "l40s-infer": 4 }, "tenants[2].queue.nominal": { "dgx-h200": 4 } }));
    expect(gpuFlavors(mixed.gpuPools, "mixed").slice(0, 3).map((f) => [f.name, f.resource, f.physical])).toEqual([
      ["h100-train-1g.10gb", "nvidia.com/mig-1g.10gb", 64],
      ["h100-train-2g.20gb", "nvidia.com/mig-2g.20gb", 32],
      ["h100-train-3g.40gb", "nvidia.com/mig-3g.40gb", 32],
    ]);
    const single = parseConfig(osloWith({ "gpuPools[0].mig": "all-1g.10gb" }));
    expect(gpuFlavors(single.gpuPools, "single")[0]).toEqual({ name: "h100-train", pool: "h100-train", resource: "nvidia.com/gpu", physical: 224 });
    const queue = clusterQueueSpec(context(mixed), mixed.tenants[0]!).spec as QueueSpec;
    expect(queue.resourceGroups.map((g) => g.coveredResources)).toEqual([["nvidia.com/mig-1g.10gb"], ["nvidia.com/mig-2g.20gb"], ["nvidia.com/mig-3g.40gb"], ["nvidia.com/gpu"]]);
  });

  it("reference the pool's Topology, whose levels end with the host", () => {
    const dgx = oslo.gpuPools[1]!;
    expect(resourceFlavorSpec(ctx, ctx.flavors[1]!).spec["topologyName"]).toBe("dgx-h200");
    expect(topologySpec(ctx, dgx).spec).toEqual({ levels: [{ nodeLabel: NodeLabels.rack }, { nodeLabel: "kubernetes.io/hostname" }] });
    expect(nodePatchSpec({ site: oslo.site, pool: dgx }, "osl1-dgx-b02").metadata?.labels).toMatchObject({ [NodeLabels.rack]: "b-r01" });
  });
});

describe("tenant queues", () => {
  it("hold the tenant's nominal GPUs per flavor from config, in the site's cohort, for its namespace only", () => {
    const spec = clusterQueueSpec(ctx, tenant("logistics")).spec as QueueSpec & { cohortName: string; namespaceSelector: unknown; preemption: unknown };
    expect(spec.cohortName).toBe("oslo-1");
    expect(spec.namespaceSelector).toEqual({ matchLabels: { "kubernetes.io/metadata.name": "logistics" } });
    expect(spec.resourceGroups).toEqual([
      {
        coveredResources: ["nvidia.com/gpu"],
        flavors: [
          { name: "h100-train", resources: [{ name: "nvidia.com/gpu", nominalQuota: 12, borrowingLimit: 4, lendingLimit: 8 }] },
          { name: "dgx-h200", resources: [{ name: "nvidia.com/gpu", nominalQuota: 0, borrowingLimit: 4, lendingLimit: 0 }] },
          { name: "l40s-infer", resources: [{ name: "nvidia.com/gpu", nominalQuota: 4, borrowingLimit: 4, lendingLimit: 4 }] },
        ],
      },
    ]);
    expect(spec.preemption).toEqual({ reclaimWithinCohort: "Any", withinClusterQueue: "LowerPriority" });
    expect(localQueueSpec(ctx, tenant("logistics"))).toMatchObject({ metadata: { name: "gpu", namespace: "logistics" }, spec: { clusterQueue: "logistics" } });
  });

  it("never let a sensitive tenant borrow on a pool other classifications use, unless the pool allows it", () => {
    const borrow = (config: FactoryConfig) =>
      (clusterQueueSpec(context(config), config.tenants[1]!).spec as QueueSpec).resourceGroups[0]!.flavors.map((f) => [f.name, f.resources[0]?.borrowingLimit]);
    expect(borrow(oslo)).toEqual([["h100-train", 0], ["dgx-h200", 0], ["l40s-infer", 0]]);
    const shared = parseConfig(osloWith({ "gpuPools[1].sharedWithSensitive": true, "tenants[1].quotas.gpus": 20 }));
    expect(borrow(shared)).toEqual([["h100-train", 0], ["dgx-h200", 4], ["l40s-infer", 0]]);
    expect(resourceFlavorSpec(context(shared), context(shared).flavors[1]!).metadata.annotations).toEqual({ "aifactory.no/sensitive-sharing": "allowed" });
  });

  it("have WorkloadPriorityClasses with the PriorityClasses' names and values", () => {
    expect(workloadPriorityClassSpecs(ctx).map((w) => [w.metadata.name, w.value])).toEqual(PRIORITY_CLASSES.map((p) => [p.name, p.value]));
    expect(PRIORITY_CLASSES.map((p) => p.name)).toEqual(["aifactory-inference", "aifactory-training", "aifactory-batch"]);
  });

  it("queue the inference servers at inference priority when Kueue's Deployment integration is on", () => {
    const service = oslo.inference[0]!;
    const base = { site: oslo.site, tenant: tenant(service.tenant), service, mirrors: oslo.mirrors };
    expect(serverDeploymentSpec({ ...base, queued: true }).metadata?.labels).toMatchObject({
      "kueue.x-k8s.io/queue-name": "gpu",
      "kueue.x-k8s.io/priority-class": "aifactory-inference",
    });
    expect(serverDeploymentSpec(base).metadata?.labels).not.toHaveProperty(["kueue.x-k8s.io/queue-name"]);
  });
});

describe("Kueue itself", () => {
  it("comes from the mirrors, at the pinned version, with the integrations config asks for and GPU-only quota checks", () => {
    const release = kueueReleaseArgs(oslo.cluster.kueue, oslo.mirrors, ["logistics", "public-services", "research"]);
    expect(release).toMatchObject({
      chart: "kueue",
      version: "0.19.2",
      namespace: "kueue-system",
      createNamespace: true,
      repositoryOpts: { repo: "https://charts.oslo-1.aifactory.no/stable" },
      values: { controllerManager: { manager: { image: { repository: "cr.oslo-1.aifactory.no/kueue/kueue", tag: "v0.19.2" } } } },
    });
    const config = parseYaml((release.values as { managerConfig: { controllerManagerConfigYaml: string } }).managerConfig.controllerManagerConfigYaml) as Record<string, unknown>;
    expect(config).toEqual(kueueManagerConfig(oslo.cluster.kueue, ["logistics", "public-services", "research"]));
    expect(config["integrations"]).toEqual({ frameworks: ["batch/job", "jobset.x-k8s.io/jobset", "kubeflow.org/pytorchjob", "trainer.kubeflow.org/trainjob", "pod", "deployment"] });
    expect(config["resources"]).toEqual({ quotaCheckStrategy: "IgnoreUndeclared" });
  });

  it("objects pass the Kueue v0.19.2 schemas, and a broken one does not", async () => {
    const objects = kubernetesObjects((await runWith(osloRaw())).resources).filter((o) => o.apiVersion === "kueue.x-k8s.io/v1beta2");
    expect(objects.map((o) => o.kind).sort()).toEqual([
      "ClusterQueue", "ClusterQueue", "ClusterQueue", "Cohort", "LocalQueue", "LocalQueue", "LocalQueue", "LocalQueue", "LocalQueue", "LocalQueue",
      "ResourceFlavor", "ResourceFlavor", "ResourceFlavor", "Topology", "WorkloadPriorityClass", "WorkloadPriorityClass", "WorkloadPriorityClass",
    ]);
    for (const o of objects) expect(validateObject(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
    const queue = structuredClone(objects.find((o) => o.kind === "ClusterQueue")!);
    (queue["spec"] as { preemption: { reclaimWithinCohort: string } }).preemption.reclaimWithinCohort = "Sometimes";
    expect(validateObject(queue)[0]).toContain("preemption.reclaimWithinCohort");
    const flavor = structuredClone(objects.find((o) => o.kind === "ResourceFlavor")!);
    (flavor["spec"] as Record<string, unknown>)["nodeSelector"] = {};
    expect(validateObject(flavor)[0]).toContain("nodeSelector");
  });

  it("passes the policy pack on Oslo with the queues", async () => {
    expect(await evaluatePolicies((await runWith(osloRaw())).resources)).toEqual([]);
  });
});

describe("GPU pods that name no queue", () => {
  const tenants = oslo.tenants.map((t) => t.name);
  const selects = (selector: { matchExpressions: { key: string; operator: string; values: string[] }[] }, labels: Record<string, string>) =>
    selector.matchExpressions.every((e) => e.operator === "In" && e.values.includes(labels[e.key] ?? "\u0000"));
  const ns = (name: string) => ({ "kubernetes.io/metadata.name": name });

  it("are Kueue's in exactly the tenants' namespaces (manageJobsWithoutQueueName, managedJobsNamespaceSelector), and none elsewhere", () => {
    const config = kueueManagerConfig(oslo.cluster.kueue, tenants) as { manageJobsWithoutQueueName: boolean; managedJobsNamespaceSelector: Parameters<typeof selects>[0] };
    expect(config.manageJobsWithoutQueueName).toBe(true);
    for (const t of tenants) expect(selects(config.managedJobsNamespaceSelector, ns(t))).toBe(true);
    for (const other of ["kube-system", "kueue-system", "gpu-operator", "aifactory-system", "rook-ceph"]) {
      expect(selects(config.managedJobsNamespaceSelector, ns(other))).toBe(false);
    }
    // A namespace cannot pass for a tenant's by a label of its own: the API server sets the name label.
    expect(selects(config.managedJobsNamespaceSelector, { ...ns("monitoring"), "aifactory.no/tenant": "research" })).toBe(false);
  });

  it("go to the LocalQueue `default` of their namespace, which feeds the tenant's own ClusterQueue", () => {
    for (const t of oslo.tenants) {
      expect(defaultLocalQueueSpec(ctx, t)).toMatchObject({ kind: "LocalQueue", metadata: { name: "default", namespace: t.name }, spec: { clusterQueue: t.name } });
    }
  });

  it("are refused by config when Kueue's pod integration is off, on a site with GPU pools", () => {
    const result = parseFactoryConfig(osloWith({ "cluster.kueue": { integrations: ["batch/job"] } }));
    expect(result.ok ? [] : result.problems).toContainEqual({
      path: "cluster.kueue.integrations",
      message: "must include 'pod': Kueue manages every pod in tenant namespaces, so a GPU pod that names no queue still waits for its tenant's ClusterQueue",
    });
  });

  it("stay gated: only Kueue's controller may lift its scheduling gates from a tenant's pod", () => {
    const def = gateGuardDefinition(oslo.cluster.kueue);
    const pod = (gates: string[]) => ({ metadata: { name: "p", namespace: "research" }, spec: { schedulingGates: gates.map((name) => ({ name })), containers: [] } });
    const judge = (before: string[], after: string[], username: string) => {
      const variables: Record<string, unknown> = {};
      const bindings = { object: pod(after), oldObject: pod(before), request: { userInfo: { username } }, variables };
      for (const v of def.variables) variables[v.name] = evaluate(v.expression, bindings);
      return def.validations.filter((v) => evaluate(v.expression, bindings) !== true).map((v) => String(evaluate(v.messageExpression ?? "''", bindings)));
    };
    const kueue = "system:serviceaccount:kueue-system:kueue-controller-manager";
    expect(judge(["kueue.x-k8s.io/admission"], [], "alice")).toEqual(["only Kueue lifts kueue.x-k8s.io/admission from a pod in a tenant namespace, when the tenant's ClusterQueue admits it"]);
    expect(judge(["kueue.x-k8s.io/admission", "kueue.x-k8s.io/topology"], ["kueue.x-k8s.io/admission"], "system:serviceaccount:research:ci")).toHaveLength(1);
    expect(judge(["kueue.x-k8s.io/admission"], [], kueue)).toEqual([]);
    expect(judge(["kueue.x-k8s.io/admission", "example.com/other"], ["kueue.x-k8s.io/admission"], "alice")).toEqual([]);
    expect(judge([], [], "alice")).toEqual([]);
    const binding = gateGuardBindingSpec(oslo.site, tenants);
    expect(binding.spec).toMatchObject({ policyName: "kueue-gates.aifactory.no", validationActions: ["Deny"], matchResources: { namespaceSelector: tenantNamespaceSelector(tenants) } });
    expect(gateGuardPolicySpec(oslo.site, oslo.cluster.kueue).spec).toMatchObject({ failurePolicy: "Fail", matchConstraints: { resourceRules: [{ resources: ["pods"], operations: ["UPDATE"] }] } });
  });
});

describe("the queue guard rails (analyzer path)", () => {
  it("sensitive-data-isolation blocks a sensitive tenant's queue that may borrow on a pool others use", async () => {
    const { resources } = await runWith(osloRaw());
    const loosened = resources.map((r) => {
      if (r.inputs["kind"] !== "ClusterQueue" || (r.inputs["metadata"] as { name: string }).name !== "public-services") return r;
      const spec = structuredClone(r.inputs["spec"]) as QueueSpec;
      Reflect.deleteProperty(spec.resourceGroups[0]!.flavors[0]!.resources[0]!, "borrowingLimit");
      return { ...r, inputs: { ...r.inputs, spec } };
    });
    const found = await evaluatePolicies(loosened, undefined, "analyzer");
    expect(found.map((v) => [v.policy, v.enforcement])).toEqual([["sensitive-data-isolation", "mandatory"]]);
    expect(found[0]?.message).toContain('may borrow on flavor "h100-train" (borrowingLimit unset)');
    // Allowed when the pool says it may be shared.
    expect(await evaluatePolicies((await runWith(osloWith({ "gpuPools[1].sharedWithSensitive": true, "tenants[1].quotas.gpus": 20 }))).resources, undefined, "analyzer")).toEqual([]);
  });

  const gpuJob = (namespace: string, labels: Record<string, string>) => ({
    urn: `urn:pulumi:t::p::kubernetes:batch/v1:Job::train`,
    type: "kubernetes:batch/v1:Job",
    name: "train",
    custom: true,
    parent: undefined,
    provider: undefined,
    options: { retainOnDelete: false, protect: false, aliases: 0, dependsOn: [], deleteBeforeReplace: false },
    inputs: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "train", namespace, labels },
      spec: { template: { spec: { containers: [{ name: "t", image: "cr.oslo-1.aifactory.no/t:1", resources: { limits: { "nvidia.com/gpu": "8" } } }] } } },
    },
  });

  it("gpu-workload-queued advises on a GPU job that names no LocalQueue, and not on a queued one or the platform's", async () => {
    const unqueued = await evaluatePolicies([gpuJob("research", {})], undefined, "analyzer");
    expect(unqueued.filter((v) => v.policy === "gpu-workload-queued").map((v) => v.enforcement)).toEqual(["advisory"]);
    const queued = await evaluatePolicies([gpuJob("research", { "kueue.x-k8s.io/queue-name": "gpu" })], undefined, "analyzer");
    expect(queued.filter((v) => v.policy === "gpu-workload-queued")).toEqual([]);
    const platform = await evaluatePolicies([gpuJob("gpu-operator", {})], undefined, "analyzer");
    expect(platform.filter((v) => v.policy === "gpu-workload-queued")).toEqual([]);
  });
});
