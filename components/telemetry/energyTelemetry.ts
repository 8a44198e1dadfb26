/**
 * The site's energy telemetry: the DCGM exporter's scrape and the energy
 * rules, and (when config switches it on) Kepler for node CPU and memory
 * power from the in-country chart mirror. Everything stays in the site's own
 * Prometheus; nothing is sent outside.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KEPLER_CHART } from "../../catalog";
import type { InferenceConfig, MirrorsConfig } from "../../config";
import { chartSource, mirroredRepository } from "../gpuOperator";
import { gpuToleration } from "../gpuPool";
import { childName } from "../naming";
import type { Spec } from "../spec";
import { type TelemetryContext, dcgmServiceMonitorSpec, energyRulesSpec } from "./rules";
import { withGuardRails } from "../guardRails";
import { usageRulesSpec } from "./usageRules";

/** Inputs of the site's energy telemetry. */
export interface EnergyTelemetryArgs extends TelemetryContext {
  /** Where Kepler's chart and image come from. */
  readonly mirrors: MirrorsConfig;
  /**
   * The inference services whose token usage and energy per token are recorded.
   * @default none
   */
  readonly services?: readonly InferenceConfig[];
}

/** Kepler's Helm release (chart 0.6.1): image from the mirror at a pinned tag, on every node including the GPU nodes, its own ServiceMonitor for the site's Prometheus, no model server. */
export function keplerReleaseArgs(args: EnergyTelemetryArgs): Spec<k8s.helm.v3.ReleaseArgs> {
  return {
    name: KEPLER_CHART.name,
    namespace: args.cluster.monitoring.namespace,
    version: args.energy.nodeExporter.chartVersion,
    ...chartSource(args.mirrors.chartRepository, KEPLER_CHART.name),
    values: {
      image: { repository: mirroredRepository(args.mirrors.imageRegistry, KEPLER_CHART.imageRepository), tag: args.energy.nodeExporter.imageTag },
      // The chart's list replaces its default: keep the control-plane toleration and add the GPU taint, or
      // Kepler never runs on the GPU nodes whose power it is there to measure.
      tolerations: [...KEPLER_CHART.defaultTolerations, gpuToleration()],
      serviceMonitor: { enabled: true, labels: args.cluster.monitoring.podMonitorLabels },
      modelServer: { enabled: false },
    },
  };
}

/** GPU energy telemetry of one site. */
export class EnergyTelemetry extends pulumi.ComponentResource {
  constructor(name: string, args: EnergyTelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:telemetry:EnergyTelemetry", name, {}, withGuardRails(opts));
    new k8s.apiextensions.CustomResource(childName(name, "dcgm-scrape"), dcgmServiceMonitorSpec(args), { parent: this });
    new k8s.apiextensions.CustomResource(childName(name, "rules"), energyRulesSpec(args), { parent: this });
    const services = args.services ?? [];
    if (services.length > 0) {
      const spec = usageRulesSpec(args.site, args.cluster, args.tenants, services);
      new k8s.apiextensions.CustomResource(childName(name, "usage-rules"), spec, { parent: this });
    }
    if (args.energy.nodeExporter.enabled) {
      new k8s.helm.v3.Release(childName(name, "kepler"), keplerReleaseArgs(args), { parent: this });
    }
    this.registerOutputs({});
  }
}
