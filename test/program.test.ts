import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GuardRailError } from "../components";
import { ProgramError, kubernetesObjects, planMocks, readStackConfig, runProgram } from "../plan";
import { main } from "../program";
import { ROOT, osloRaw, osloWith, runWith, toEngineConfig } from "./helpers";

describe("the entry point the Pulumi CLI loads", () => {
  it("exports the program, with its guard rails on, as a function the CLI calls for the stack outputs", async () => {
    const imported = (await import("../index")) as unknown as { default?: () => unknown };
    const entry = (imported.default ?? imported) as () => unknown;
    expect(typeof entry).toBe("function");
    const stockholm = readStackConfig(path.join(ROOT, "examples/Pulumi.stockholm.yaml"));
    const stopped = await runProgram({ stack: "cli", config: stockholm, program: entry, guardRails: true }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(stopped).toBeInstanceOf(ProgramError);
    expect((stopped as ProgramError).cause).toBeInstanceOf(GuardRailError);
  }, 60_000);
});

describe("the Oslo program", () => {
  it("registers the site, its tenants, storage, Cluster API cluster, GPU operator, pools and inference services", async () => {
    const { resources } = await runWith(osloRaw());
    const components = resources.filter((r) => !r.custom).map((r) => `${r.type} ${r.name}`);
    // Registration order follows dependencies, so compare as sets.
    expect(components.sort()).toEqual([
      "sovereign-ai-factory:factory:AiFactory oslo-1",
      "sovereign-ai-factory:site:SiteDeclaration oslo-1-site",
      "sovereign-ai-factory:admission:AdmissionPolicies oslo-1-admission",
      "sovereign-ai-factory:tenant:Tenant oslo-1-tenant-logistics",
      "sovereign-ai-factory:tenant:Tenant oslo-1-tenant-public-services",
      "sovereign-ai-factory:tenant:Tenant oslo-1-tenant-research",
      "sovereign-ai-factory:storage:SovereignStorage oslo-1-storage",
      "sovereign-ai-factory:cluster:SiteCluster oslo-1-cluster",
      "sovereign-ai-factory:gpu:GpuOperator oslo-1-gpu-operator",
      "sovereign-ai-factory:gpu:GpuNodePool oslo-1-pool-h100-train",
      "sovereign-ai-factory:gpu:GpuNodePool oslo-1-pool-dgx-h200",
      "sovereign-ai-factory:gpu:GpuNodePool oslo-1-pool-l40s-infer",
      "sovereign-ai-factory:inference:InferenceService oslo-1-inference-public-services-normistral-chat",
      "sovereign-ai-factory:inference:InferenceService oslo-1-inference-logistics-nb-llama-docs",
      "sovereign-ai-factory:network:SiteGateway oslo-1-gateway",
      "sovereign-ai-factory:telemetry:EnergyTelemetry oslo-1-energy",
      "sovereign-ai-factory:queues:GpuQueues oslo-1-queues",
      "sovereign-ai-factory:access:PreviewIdentity oslo-1-preview",
    ].sort());
    const policies = kubernetesObjects(resources).filter((o) => o.kind === "ValidatingAdmissionPolicy").map((o) => o.metadata.name);
    expect(policies.sort()).toEqual(["exposure.aifactory.no", "kueue-gates.aifactory.no", "storage-classes.aifactory.no", "volumes.aifactory.no", "workload-placement.aifactory.no"]);
    const record = kubernetesObjects(resources).find((o) => o.kind === "ConfigMap" && o.metadata.name === "site");
    expect(record?.metadata.namespace).toBe("aifactory-system");
    expect(record?.["data"]).toMatchObject({
      region: "no-oslo-1",
      zones: "no-oslo-1a,no-oslo-1b",
      powerSource: "hydro",
      renewable: "true",
      guaranteeOfOrigin: "NECS-NO-2026-OSL1-004711",
      capacityKw: "2500",
      pue: "1.15",
      heatReuseKind: "district-heating",
    });
  });

  it("puts the site, region and power labels on every Kubernetes object", async () => {
    const objects = kubernetesObjects((await runWith(osloRaw())).resources);
    expect(objects.length).toBeGreaterThan(10);
    for (const obj of objects) {
      expect(obj.metadata["labels"], `${obj.kind}/${obj.metadata.name}`).toMatchObject({
        "aifactory.no/site": "oslo-1",
        "aifactory.no/region": "no-oslo-1",
        "aifactory.no/power-source": "hydro",
        "aifactory.no/renewable": "true",
        "aifactory.no/guarantee-of-origin": "NECS-NO-2026-OSL1-004711",
      });
      // A patch of the ceph-csi-drivers chart's OperatorConfig leaves managed-by to the chart (Helm).
      if (obj.kind === "OperatorConfig") continue;
      expect(obj.metadata["labels"], `${obj.kind}/${obj.metadata.name}`).toMatchObject({ "app.kubernetes.io/managed-by": "pulumi" });
    }
  });

  it("labels a site on grid-mix power as not renewable", async () => {
    const objects = kubernetesObjects((await runWith(osloWith({ "site.power.source": "grid-mix" }))).resources);
    expect(new Set(objects.map((o) => (o.metadata["labels"] as Record<string, string>)["aifactory.no/renewable"]))).toEqual(
      new Set(["false"]),
    );
  });

  it("deploys every Kubernetes resource through the site's provider, for the configured context", async () => {
    const { resources } = await runWith(osloRaw());
    const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes");
    expect(provider?.inputs).toMatchObject({ context: "oslo-1-admin" });
    const k8s = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
    expect(k8s.length).toBeGreaterThan(0);
    for (const r of k8s) expect(r.provider, r.name).toBe(`${provider?.urn}::${provider?.name}-id`);
  });

  it("exports the site summary and tenant namespaces", async () => {
    const { outputs } = await runWith(osloRaw());
    expect(Object.keys(outputs).sort()).toEqual([
      "inferenceApiKeys",
      "inferenceClientKeys",
      "inferenceEndpoints",
      "power",
      "site",
      "storage",
      "systemNamespace",
      "tenantNamespaces",
    ]);
    expect(outputs).toMatchObject({
      site: {
        name: "oslo-1",
        region: "no-oslo-1",
        zones: ["no-oslo-1a", "no-oslo-1b"],
        powerSource: "hydro",
        renewable: true,
        guaranteeOfOrigin: "NECS-NO-2026-OSL1-004711",
        capacityKw: 2500,
        pue: 1.15,
        heatReuse: "Hafslund Celsio district heating, Oslo east network",
      },
      systemNamespace: "aifactory-system",
      tenantNamespaces: { logistics: "logistics", "public-services": "public-services", research: "research" },
    });
  });

  it("names everything the same way on every run", async () => {
    const names = async () => (await runWith(osloRaw())).resources.map((r) => r.urn);
    expect(await names()).toEqual(await names());
  });
});

/** The names of Oslo's resources in the order the SDK registers them. */
async function registrationOrder(): Promise<string[]> {
  const registered: string[] = [];
  const mocks = {
    ...planMocks,
    newResource: (args: Parameters<typeof planMocks.newResource>[0]) => {
      registered.push(args.name);
      return planMocks.newResource(args);
    },
  };
  await runProgram({ stack: "order", config: toEngineConfig(osloRaw()), program: main, mocks });
  return registered;
}

describe("declaring a large site", () => {
  it("lets the SDK register each inference service before it declares the next", async () => {
    const registered = await registrationOrder();
    const services = registered.filter((n) => /^oslo-1-inference-[a-z-]+$/.test(n) && registered.includes(`${n}-server`));
    expect(services.length).toBeGreaterThan(1);
    // The first service's Deployment is registered before the next service's component is even declared.
    const [first, second] = services;
    expect(registered.indexOf(`${first}-server`)).toBeLessThan(registered.indexOf(second ?? ""));
  });

  it("lets the SDK register each tenant before it declares the next, and each tenant's volumes and queues one tenant at a time", async () => {
    const registered = await registrationOrder();
    const tenants = (osloRaw()["tenants"] as { name: string }[]).map((t) => t.name);
    expect(tenants.length).toBeGreaterThan(1);
    const [first, second] = tenants;
    // A custom resource is registered (newResource) once its registration is complete; a component never is.
    expect(registered.indexOf(`oslo-1-tenant-${first}-namespace`)).toBeGreaterThan(-1);
    expect(registered.indexOf(`oslo-1-tenant-${first}-quota`)).toBeLessThan(registered.indexOf(`oslo-1-tenant-${second}-namespace`));
    // Each tenant's queues are registered before the next tenant's are declared.
    expect(registered.indexOf(`oslo-1-queues-cluster-queue-${first}`)).toBeLessThan(registered.indexOf(`oslo-1-queues-local-queue-${second}`));
  });
});
