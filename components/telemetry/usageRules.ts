/**
 * What each tenant used: recording rules over vLLM's own usage counters
 * (prompt and generated tokens, finished requests; catalog `vllm.ts`, names
 * as vLLM v0.11.0 exports them) by tenant and service, and the GPU energy of
 * each service's pods per 1,000 generated tokens. The energy is the energy
 * rules' per-pod minute (`attribution.ts`: each GPU once, a MIG instance's
 * share by compute slices), not the raw DCGM counter, which every MIG
 * instance of a GPU repeats in full. The service's PodMonitor adds the
 * `service` label to every series it scrapes.
 *
 * Per client: vLLM does not know the caller, its key-checking proxy does.
 * Envoy counts each client's requests that reached vLLM in the client's
 * virtual cluster (catalog `envoy.ts`, `components/inference/clientTraffic.ts`);
 * tokens per client are an estimate, the service's tokens split by each
 * client's share of its successful requests, and named as one. Pure.
 */
import { ENVOY_CATCH_ALL_VIRTUAL_CLUSTER, EnvoyStatsLabels, EnvoyStatsMetrics, VllmUsageMetrics } from "../../catalog";
import type { ClusterConfig, InferenceConfig, SiteConfig, TenantConfig } from "../../config";
import { siteMetadata } from "../labels";
import type { CustomObjectSpec } from "../spec";
import { Attribution, HOUR_WINDOW } from "./attribution";
import { PROXY_VIRTUAL_HOST } from "../inference/authProxy";

/** Names of the recorded usage series. */
export const UsageRecorded = {
  servicePromptTokens: "aifactory:vllm_prompt_tokens:increase1h_by_service",
  serviceGenerationTokens: "aifactory:vllm_generation_tokens:increase1h_by_service",
  serviceRequests: "aifactory:vllm_requests:increase1h_by_service",
  tenantPromptTokens: "aifactory:vllm_prompt_tokens:increase1h_by_tenant",
  tenantGenerationTokens: "aifactory:vllm_generation_tokens:increase1h_by_tenant",
  tenantRequests: "aifactory:vllm_requests:increase1h_by_tenant",
  serviceEnergy: "aifactory:gpu_energy_wh:increase1h_by_service",
  serviceEnergyPer1kTokens: "aifactory:gpu_energy_wh_per_1k_generated_tokens:1h_by_service",
  clientRequests: "aifactory:proxy_requests:increase1h_by_client",
  clientSuccessfulRequests: "aifactory:proxy_successful_requests:increase1h_by_client",
  clientGenerationTokensEstimate: "aifactory:vllm_generation_tokens:increase1h_by_client_estimate",
  clientPromptTokensEstimate: "aifactory:vllm_prompt_tokens:increase1h_by_client_estimate",
} as const;

/** The label the per-client series carry: the client's name (Envoy's virtual cluster). */
export const CLIENT_LABEL = "client";

/** Watt-hours in a kilowatt-hour: the energy rules' unit to the usage rules'. */
export const WH_PER_KWH = 1000;

/** A recording rule, with the labels it adds. */
export interface UsageRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

/** The pods of a service's Deployment: `<name>-<ReplicaSet hash>-<suffix>`, and no other service's. */
export function servicePodPattern(service: Pick<InferenceConfig, "name">): string {
  return `${service.name}-[a-z0-9]{1,10}-[a-z0-9]{5}`;
}

function byService(metric: string, tenants: string): string {
  return `sum by (namespace, service) (increase(${metric}{namespace=~"${tenants}"}[1h]))`;
}

/**
 * A service's GPU energy over the last hour, Wh: the sum of its pods' minutes
 * from the energy rules, over the window they use for their own hours. The
 * energy rules must be loaded in the same Prometheus (they are: one site,
 * one PrometheusRule each).
 */
export function serviceEnergyRule(service: Pick<InferenceConfig, "name" | "tenant">): UsageRule {
  const pods = `${Attribution.podEnergyMinute}{namespace="${service.tenant}",pod=~"${servicePodPattern(service)}"}`;
  return {
    record: UsageRecorded.serviceEnergy,
    expr: `sum by (namespace) (sum_over_time(${pods}[${HOUR_WINDOW}])) * ${WH_PER_KWH}`,
    labels: { service: service.name },
  };
}

/** The usage rules of a site's tenants and services. */
export function usageRecordingRules(tenants: readonly TenantConfig[], services: readonly InferenceConfig[]): UsageRule[] {
  const names = tenants.map((t) => t.name).join("|");
  const rules: UsageRule[] = [
    { record: UsageRecorded.servicePromptTokens, expr: byService(VllmUsageMetrics.promptTokens, names) },
    { record: UsageRecorded.serviceGenerationTokens, expr: byService(VllmUsageMetrics.generationTokens, names) },
    { record: UsageRecorded.serviceRequests, expr: byService(VllmUsageMetrics.requestSuccess, names) },
    { record: UsageRecorded.tenantPromptTokens, expr: `sum by (namespace) (${UsageRecorded.servicePromptTokens})` },
    { record: UsageRecorded.tenantGenerationTokens, expr: `sum by (namespace) (${UsageRecorded.serviceGenerationTokens})` },
    { record: UsageRecorded.tenantRequests, expr: `sum by (namespace) (${UsageRecorded.serviceRequests})` },
  ];
  for (const s of services) rules.push(serviceEnergyRule(s));
  rules.push({
    record: UsageRecorded.serviceEnergyPer1kTokens,
    expr: `${UsageRecorded.serviceEnergy} / on (namespace, service) (${UsageRecorded.serviceGenerationTokens} / 1000 > 0)`,
  });
  return [...rules, ...clientUsageRules(names)];
}

/** A proxy counter's rise over the hour per client, the virtual cluster renamed `client`; requests of no client left out. */
function byClient(metric: string, tenants: string, extra = ""): string {
  const L = EnvoyStatsLabels;
  const selector = `{namespace=~"${tenants}",${L.virtualHost}="${PROXY_VIRTUAL_HOST}",${L.virtualCluster}!="${ENVOY_CATCH_ALL_VIRTUAL_CLUSTER}"${extra}}`;
  return `sum by (namespace, service, ${CLIENT_LABEL}) (label_replace(increase(${metric}${selector}[1h]), "${CLIENT_LABEL}", "$1", "${L.virtualCluster}", "(.+)"))`;
}

/** The service's tokens split by each client's share of its successful requests. */
function tokensByShare(serviceTokens: string): string {
  const share = `${UsageRecorded.clientSuccessfulRequests} / on (namespace, service) group_left () (sum by (namespace, service) (${UsageRecorded.clientSuccessfulRequests}) > 0)`;
  return `${serviceTokens} * on (namespace, service) group_right () (${share})`;
}

/** Requests per client (metered by the proxy) and tokens per client (estimated), by tenant and service. */
export function clientUsageRules(tenants: string): UsageRule[] {
  return [
    { record: UsageRecorded.clientRequests, expr: byClient(EnvoyStatsMetrics.virtualClusterCompleted, tenants) },
    {
      record: UsageRecorded.clientSuccessfulRequests,
      expr: byClient(EnvoyStatsMetrics.virtualClusterResponseClass, tenants, `,${EnvoyStatsLabels.responseCodeClass}="2"`),
    },
    { record: UsageRecorded.clientGenerationTokensEstimate, expr: tokensByShare(UsageRecorded.serviceGenerationTokens) },
    { record: UsageRecorded.clientPromptTokensEstimate, expr: tokensByShare(UsageRecorded.servicePromptTokens) },
  ];
}

/** The rule group, for the site's energy PrometheusRule. */
export function usageRuleGroup(tenants: readonly TenantConfig[], services: readonly InferenceConfig[]) {
  return { name: "aifactory-usage.records", interval: "1m", rules: usageRecordingRules(tenants, services) };
}

/** The PrometheusRule of the usage rules: in the system namespace, labelled for the site's Prometheus to select. */
export function usageRulesSpec(
  site: SiteConfig,
  cluster: ClusterConfig,
  tenants: readonly TenantConfig[],
  services: readonly InferenceConfig[],
): CustomObjectSpec {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: siteMetadata(site, "aifactory-usage", {
      namespace: cluster.systemNamespace,
      component: "telemetry",
      labels: cluster.monitoring.podMonitorLabels,
    }),
    spec: { groups: [usageRuleGroup(tenants, services)] },
  };
}

/** One client's usage series. */
export interface ClientUsage {
  readonly client: string;
  /** Its rate limit in each replica's proxy, requests per minute; absent when not limited. */
  readonly requestsPerMinute?: number;
  /** PromQL of each recorded series: requests metered by the proxy, tokens estimated from the client's share of successful requests. */
  readonly series: { readonly requests: string; readonly successfulRequests: string; readonly generatedTokensEstimate: string; readonly promptTokensEstimate: string };
}

/** One service's usage series, as `energy-report.json` and the report list them. */
export interface ServiceUsage {
  readonly tenant: string;
  readonly service: string;
  /** The served model name (vLLM's `model_name` label). */
  readonly model: string;
  /** Client names whose keys the proxy accepts (their requests reach vLLM with the client's name in `x-aifactory-client`). */
  readonly clients: readonly string[];
  /** Each client's series (none for a service with one key). */
  readonly clientUsage: readonly ClientUsage[];
  /** PromQL selecting each of the service's recorded series. */
  readonly series: { readonly promptTokens: string; readonly generatedTokens: string; readonly requests: string; readonly gpuEnergyWh: string; readonly gpuWhPer1kGeneratedTokens: string };
}

function clientUsage(service: InferenceConfig, client: InferenceConfig["clients"][number]): ClientUsage {
  const sel = `{namespace="${service.tenant}",service="${service.name}",${CLIENT_LABEL}="${client.name}"}`;
  return {
    client: client.name,
    ...(client.rateLimit === undefined ? {} : { requestsPerMinute: client.rateLimit.requestsPerMinute }),
    series: {
      requests: `${UsageRecorded.clientRequests}${sel}`,
      successfulRequests: `${UsageRecorded.clientSuccessfulRequests}${sel}`,
      generatedTokensEstimate: `${UsageRecorded.clientGenerationTokensEstimate}${sel}`,
      promptTokensEstimate: `${UsageRecorded.clientPromptTokensEstimate}${sel}`,
    },
  };
}

/** Where each service's usage is recorded: the series to query, per tenant and service. */
export function serviceUsage(services: readonly InferenceConfig[]): ServiceUsage[] {
  return services.map((s) => {
    const sel = `{namespace="${s.tenant}",service="${s.name}"}`;
    return {
      tenant: s.tenant,
      service: s.name,
      model: s.model.servedName,
      clients: s.clients.map((c) => c.name),
      clientUsage: s.clients.map((c) => clientUsage(s, c)),
      series: {
        promptTokens: `${UsageRecorded.servicePromptTokens}${sel}`,
        generatedTokens: `${UsageRecorded.serviceGenerationTokens}${sel}`,
        requests: `${UsageRecorded.serviceRequests}${sel}`,
        gpuEnergyWh: `${UsageRecorded.serviceEnergy}${sel}`,
        gpuWhPer1kGeneratedTokens: `${UsageRecorded.serviceEnergyPer1kTokens}${sel}`,
      },
    };
  });
}
