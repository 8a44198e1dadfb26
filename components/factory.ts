/**
 * The whole site, built from one validated config: the Kubernetes provider,
 * the site declaration, tenants, in-country storage, the GPU operator and
 * pools, and the inference services, in the order they depend on each other.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isRenewableSource } from "../catalog";
import { type FactoryConfig, entitlementInputsOf, gpuFlavors, gpuQuotas as tenantGpuQuotas } from "../config";
import { SiteGateway, externallyExposed } from "./gateway";
import { GpuOperator } from "./gpuOperator";
import { InferenceService } from "./inference";
import { GpuNodePool, type SitePower, poolPower, sitePower } from "./gpuPool";
import { SiteCluster } from "./cluster";
import { EnergyTelemetry } from "./telemetry";
import { GpuQueues } from "./queues";
import { childName } from "./naming";
import { SiteDeclaration } from "./site";
import { SovereignStorage, type VolumeSummary } from "./storage";
import { Tenant } from "./tenant";
import { withGuardRails } from "./guardRails";
import { AdmissionPolicies } from "./admission";
import { PreviewIdentity } from "./previewIdentity";

/** One event-loop turn: the SDK registers what is already declared before more is declared. */
function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** What an inference service may wait for: its own volume and queues are picked from these. */
interface InferenceDependencies {
  readonly storage: SovereignStorage;
  readonly queues: readonly GpuQueues[];
  /** Site-wide: the GPU operator and pools, the gateway. */
  readonly site: readonly pulumi.Resource[];
}

/** Inputs of an AI factory site. */
export interface AiFactoryArgs {
  /** The site's validated config. */
  readonly config: FactoryConfig;
  /**
   * Kubernetes provider to deploy with.
   * @default a provider for `cluster.kubeContext`, or the current kubeconfig context
   */
  readonly provider?: k8s.Provider;
}

/** What a user reads after `pulumi up`: the site at a glance. */
export interface SiteSummary {
  readonly name: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly powerSource: string;
  readonly renewable: boolean;
  readonly guaranteeOfOrigin: string | undefined;
  readonly capacityKw: number;
  readonly pue: number;
  readonly heatReuse: string | undefined;
}

/** The site summary exported as a stack output. */
export function siteSummary(config: FactoryConfig): SiteSummary {
  const { site } = config;
  return {
    name: site.name,
    region: site.region,
    zones: [...site.zones],
    powerSource: site.power.source,
    renewable: isRenewableSource(site.power.source),
    guaranteeOfOrigin: site.power.guaranteeOfOrigin,
    capacityKw: site.power.capacityKw,
    pue: site.power.pue,
    heatReuse: site.heatReuse?.consumer,
  };
}

/** One site of the AI factory, declared from its config. */
export class AiFactory extends pulumi.ComponentResource {
  /** The site at a glance. */
  public readonly site: SiteSummary;
  /** The factory's system namespace. */
  public readonly systemNamespace: pulumi.Output<string>;
  /** Each tenant's namespace, by tenant name. */
  public readonly tenantNamespaces: Record<string, pulumi.Output<string>>;
  /** IT and facility power at full load against the contracted renewable capacity. */
  public readonly power: SitePower;
  /**
   * Settles once every tenant, volume, queue and inference service is
   * declared. They are declared a tenant or a service at a time, letting the
   * SDK register each before the next (a site of thousands of resources then
   * never has them all in flight at once), so `tenantNamespaces`,
   * `inferenceEndpoints` and `inferenceApiKeys` are complete only after it.
   * Rejects if a declaration fails (e.g. the guard rails refuse a resource).
   */
  public readonly ready: Promise<void>;
  /** Each inference service's OpenAI-compatible base URLs, by `<tenant>/<service>`; complete after `ready`. */
  public readonly inferenceEndpoints: Record<string, { cluster: string; external: string | undefined }>;
  /** Each inference service's API key, by `<tenant>/<service>`; Pulumi secrets; complete after `ready`. */
  public readonly inferenceApiKeys: Record<string, pulumi.Output<string>>;
  /** Each client's current key of services that name clients, by `<tenant>/<service>` then client; Pulumi secrets; complete after `ready`. */
  public readonly inferenceClientKeys: Record<string, Record<string, pulumi.Output<string>>>;
  /** Tenant volumes and where backups go. */
  public readonly storage: { readonly volumes: readonly VolumeSummary[]; readonly backupUrl: string | undefined };

  constructor(name: string, args: AiFactoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:factory:AiFactory", name, {}, withGuardRails(opts));
    const { config } = args;
    const provider =
      args.provider ??
      new k8s.Provider(
        childName(name, "k8s"),
        config.cluster.kubeContext === undefined ? {} : { context: config.cluster.kubeContext },
        { parent: this },
      );
    const children = { parent: this, provider };

    // The pack's resource rules at the cluster's door, for objects Pulumi never declares.
    new AdmissionPolicies(childName(name, "admission"), { site: config.site, storage: config.storage }, children);

    const site = new SiteDeclaration(
      childName(name, "site"),
      { site: config.site, systemNamespace: config.cluster.systemNamespace, energy: config.energy },
      children,
    );
    this.systemNamespace = site.systemNamespace;
    new PreviewIdentity(childName(name, "preview"), { namespace: site.systemNamespace, site: config.site }, children);

    this.tenantNamespaces = {};
    // Tenants are declared one at a time (as inference services are): a site
    // of many tenants then never has all their registrations in flight at once.
    const tenants = this.declareTenants(name, config, children);
    const gpu = this.declareGpuPools(name, config, provider);
    this.declareTelemetry(name, config, { ...children, dependsOn: [site, ...gpu] });
    const afterTenantsAndGpu: Promise<pulumi.Resource[]> = tenants.then((t) => [...t, ...gpu]);
    const queues = this.declareQueues(name, config, { ...children, dependsOn: afterTenantsAndGpu });
    // Kueue manages every Job in a tenant namespace: the storage's Jobs wait for it and the tenant's
    // queues, which `declareTenantData` declares below (read once this constructor has run).
    const declared: { tenantData?: Promise<void> } = {};
    const queuesOf = (tenant: string) => queues.flatMap((q) => [...q.shared, ...(q.tenantQueues.get(tenant) ?? [])]);
    const tenantJobsAfter = new Map(config.tenants.map((t) => [t.name, Promise.resolve().then(() => declared.tenantData).then(() => queuesOf(t.name))]));
    const storage = new SovereignStorage(
      childName(name, "storage"),
      { site: config.site, storage: config.storage, tenants: config.tenants, imageRegistry: config.mirrors.imageRegistry, volumesByCaller: true, tenantJobsAfter },
      { ...children, dependsOn: tenants },
    );
    this.storage = { volumes: storage.volumes, backupUrl: config.storage.backup?.s3Url };
    const gateway = this.declareGateway(name, config, provider);
    this.inferenceEndpoints = {};
    this.inferenceApiKeys = {};
    this.inferenceClientKeys = {};
    const tenantData = tenants.then(() => this.declareTenantData(config, storage, queues));
    declared.tenantData = tenantData;
    this.ready = tenantData.then(() => this.declareInference(name, config, children, { storage, queues, site: [...gpu, ...gateway] }));

    this.site = siteSummary(config);
    this.power = sitePower(config.site, config.gpuPools);
    this.registerOutputs(
      this.ready.then(() => ({
        site: this.site,
        tenantNamespaces: this.tenantNamespaces,
        power: this.power,
        storage: this.storage,
        inferenceEndpoints: this.inferenceEndpoints,
        inferenceApiKeys: this.inferenceApiKeys,
        inferenceClientKeys: this.inferenceClientKeys,
      })),
    );
  }

  /** Every tenant, one per event-loop turn; settles with them all once declared. */
  private async declareTenants(name: string, config: FactoryConfig, children: pulumi.ComponentResourceOptions): Promise<Tenant[]> {
    const tenants: Tenant[] = [];
    for (const tenant of config.tenants) {
      await nextTurn();
      // GPU and MIG ceilings from the same entitlement model as the tenant's ClusterQueue.
      const gpuQuotas = tenantGpuQuotas(entitlementInputsOf(config), tenant);
      const t = new Tenant(childName(name, `tenant-${tenant.name}`), { site: config.site, tenant, gpuQuotas }, children);
      this.tenantNamespaces[tenant.name] = t.namespace;
      tenants.push(t);
    }
    return tenants;
  }

  /** Each tenant's volumes and queues, a tenant per event-loop turn, once every tenant is declared (storage and queues wait for them all). */
  private async declareTenantData(config: FactoryConfig, storage: SovereignStorage, queues: readonly GpuQueues[]): Promise<void> {
    const volumes = new Map<string, FactoryConfig["storage"]["volumes"][number][]>();
    for (const v of config.storage.volumes) volumes.set(v.tenant, [...(volumes.get(v.tenant) ?? []), v]);
    for (const tenant of config.tenants) {
      await nextTurn();
      for (const vol of volumes.get(tenant.name) ?? []) storage.declareVolume(vol);
      for (const q of queues) q.declareTenantQueues(tenant);
    }
  }

  /**
   * Every inference service, after the volume it reads, its tenant's queues,
   * and the GPU software and gateway it runs behind: only what it uses, so
   * that a site of many tenants does not make every service wait for every
   * tenant's volumes and queues.
   */
  private async declareInference(name: string, config: FactoryConfig, children: pulumi.ComponentResourceOptions, after: InferenceDependencies): Promise<void> {
    const tenants = new Map(config.tenants.map((t) => [t.name, t]));
    for (const service of config.inference) {
      // Let the SDK register what is already declared before declaring more.
      await nextTurn();
      const tenant = tenants.get(service.tenant);
      if (!tenant) throw new Error(`inference '${service.name}': unknown tenant '${service.tenant}'`);
      const claim = after.storage.claims.get(`${service.tenant}/${service.model.volume}`);
      if (!claim) throw new Error(`inference '${service.name}': unknown volume '${service.model.volume}' of tenant '${service.tenant}'`);
      const queues = after.queues.flatMap((q) => [...q.shared, ...(q.tenantQueues.get(service.tenant) ?? [])]);
      const opts = { ...children, dependsOn: [claim, ...after.site, ...queues] };
      const svc = new InferenceService(
        childName(name, `inference-${service.tenant}-${service.name}`),
        {
          site: config.site,
          tenant,
          service,
          mirrors: config.mirrors,
          cluster: config.cluster,
          authProxy: config.cluster.authProxy,
          queued: config.cluster.kueue.integrations.includes("deployment"),
        },
        opts,
      );
      const key = `${service.tenant}/${service.name}`;
      this.inferenceEndpoints[key] = svc.endpoints;
      if (svc.apiKey !== undefined) this.inferenceApiKeys[key] = svc.apiKey;
      else this.inferenceClientKeys[key] = svc.clientKeys;
    }
  }

  /** Kueue and the tenants' GPU queues, for sites with GPU pools. */
  private declareQueues(name: string, config: FactoryConfig, opts: pulumi.ComponentResourceOptions): GpuQueues[] {
    if (config.gpuPools.length === 0) return [];
    const flavors = gpuFlavors(config.gpuPools, config.cluster.gpuOperator.migStrategy);
    const args = { site: config.site, cluster: config.cluster, tenants: config.tenants, pools: config.gpuPools, flavors, mirrors: config.mirrors, tenantsByCaller: true };
    return [new GpuQueues(childName(name, "queues"), args, opts)];
  }

  /** GPU energy telemetry, for sites with GPU pools (the DCGM exporter comes with the GPU operator). */
  private declareTelemetry(name: string, config: FactoryConfig, opts: pulumi.ComponentResourceOptions): void {
    if (config.gpuPools.length === 0) return;
    const poolItWatts = Object.fromEntries(config.gpuPools.map((p) => [p.name, poolPower(p).itWatts]));
    new EnergyTelemetry(
      childName(name, "energy"),
      {
        site: config.site,
        cluster: config.cluster,
        tenants: config.tenants,
        pools: config.gpuPools,
        energy: config.energy,
        poolItWatts,
        mirrors: config.mirrors,
        services: config.inference,
      },
      opts,
    );
  }

  /** The site's Gateway, when services are exposed outside the cluster through Gateway API. */
  private declareGateway(name: string, config: FactoryConfig, provider: k8s.Provider): pulumi.Resource[] {
    if (config.cluster.externalExposure !== "gateway" || externallyExposed(config.inference).length === 0) return [];
    const args = { site: config.site, cluster: config.cluster, services: config.inference };
    return [new SiteGateway(childName(name, "gateway"), args, { parent: this, provider })];
  }

  /** The site's Cluster API cluster, when it is declared in config (on the management cluster's provider). */
  private declareCluster(name: string, config: FactoryConfig, provider: k8s.Provider, management: k8s.Provider | undefined): SiteCluster | undefined {
    const capi = config.cluster.clusterApi;
    if (capi === undefined) return undefined;
    const args = { site: config.site, clusterApi: capi, mirrors: config.mirrors, pools: config.gpuPools, ...(management ? { managementProvider: management } : {}) };
    return new SiteCluster(childName(name, "cluster"), args, { parent: this, provider });
  }

  /**
   * The GPU operator (once, if the site has any pool) and every pool; returns
   * what GPU workloads wait for. Static pools' node patches come first and the
   * operator after them: its node-feature-discovery and node labelling set
   * `nvidia.com/gpu.deploy.driver=true` on a node that does not yet say
   * `false`, and then run its driver on a DGX whose driver is on the host.
   * Cluster API pools depend on their Cluster; their nodes register with their
   * labels from the kubelet, so they need no order against the operator.
   */
  private declareGpuPools(name: string, config: FactoryConfig, provider: k8s.Provider): pulumi.Resource[] {
    const capi = config.cluster.clusterApi;
    const capiProvider =
      capi?.managementKubeContext === undefined
        ? undefined
        : new k8s.Provider(childName(name, "capi-k8s"), { context: capi.managementKubeContext }, { parent: this });
    const cluster = this.declareCluster(name, config, provider, capiProvider);
    if (config.gpuPools.length === 0) return [];
    const children = { parent: this, provider };
    const pool = (p: FactoryConfig["gpuPools"][number], dependsOn: pulumi.Resource[]) =>
      new GpuNodePool(
        childName(name, `pool-${p.name}`),
        {
          site: config.site,
          pool: p,
          systemNamespace: config.cluster.systemNamespace,
          ...(capi === undefined ? {} : { clusterApi: capi }),
          ...(capiProvider === undefined ? {} : { clusterApiProvider: capiProvider }),
        },
        { ...children, dependsOn },
      );
    const staticPools = config.gpuPools.filter((p) => p.provisioning === "static").map((p) => pool(p, []));
    const operator = new GpuOperator(
      childName(name, "gpu-operator"),
      { site: config.site, mirrors: config.mirrors, operator: config.cluster.gpuOperator, after: staticPools },
      children,
    );
    const capiPools = config.gpuPools
      .filter((p) => p.provisioning === "clusterapi")
      .map((p) => pool(p, cluster === undefined ? [] : [cluster.cluster]));
    return [operator, ...staticPools, ...capiPools];
  }
}
