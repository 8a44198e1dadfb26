/**
 * What each tenant used: recording rules over vLLM's own usage counters
 * (prompt and generated tokens, finished requests; catalog `vllm.ts`, names
 * as vLLM v0.11.0 exports them) by tenant and service, and the GPU energy of
 * each service's pods per 1,000 generated tokens. The energy is the energy
 * rules' per-pod minute (`attribution.ts`: each GPU once, a MIG instance's
 * share by compute slices), not the raw DCGM counter, which every MIG
 * instance of a GPU repeats in full. The service's PodMonitor adds the
 * `service` label to every series it scrapes. Pure.
 */
import { VllmUsageMetrics } from "../../catalog";
import type { ClusterConfig, InferenceConfig, SiteConfig, TenantConfig } from "../../config";
import { siteMetadata } from "../labels";
import type { CustomObjectSpec } from "../spec";
import { Attribution, HOUR_WINDOW } from "./attribution";

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
} as const;

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
  return rules;
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

/** One service's usage series, as `energy-report.json` and the report list them. */
export interface ServiceUsage {
  readonly tenant: string;
  readonly service: string;
  /** The served model name (vLLM's `model_name` label). */
  readonly model: string;
  /** Client names whose keys the proxy accepts (their requests reach vLLM with the client's name in `x-aifactory-client`). */
  readonly clients: readonly string[];
  /** PromQL selecting each of the service's recorded series. */
  readonly series: { readonly promptTokens: string; readonly generatedTokens: string; readonly requests: string; readonly gpuEnergyWh: string; readonly gpuWhPer1kGeneratedTokens: string };
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
