/**
 * Cluster-wide GPU software, installed once per site however many pools it
 * has: the NVIDIA GPU operator from the site's own chart mirror (chart version
 * pinned, every image from the in-country registry), and the PriorityClasses
 * GPU workloads run under.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GPU_OPERATOR_IMAGES, PodSecurityLabels } from "../catalog";
import type { ClusterConfig, MirrorsConfig, SiteConfig } from "../config";
import { siteMetadata } from "./labels";
import { childName } from "./naming";
import type { Spec } from "./spec";
import { withGuardRails } from "./guardRails";

/** The operator's chart name in the mirror. */
export const GPU_OPERATOR_CHART = "gpu-operator";

/** The RuntimeClass the operator creates and GPU pods use. */
export const NVIDIA_RUNTIME_CLASS = "nvidia";

/** PriorityClasses for GPU work: serving outranks training, which can resume from a checkpoint. */
export const PriorityClassNames = {
  inference: "aifactory-inference",
  training: "aifactory-training",
  batch: "aifactory-batch",
} as const;

/** Inputs of the site's GPU operator. */
export interface GpuOperatorArgs {
  /** The site's validated config. */
  readonly site: SiteConfig;
  /** Where images and charts come from. */
  readonly mirrors: MirrorsConfig;
  /** Chart version, namespace and MIG strategy. */
  readonly operator: ClusterConfig["gpuOperator"];
  /**
   * What labels nodes before the operator may see them (the static pools' node
   * patches): its release waits for these, so that it finds
   * `nvidia.com/gpu.deploy.driver=false` already set where the host has the
   * driver, instead of setting it to `true` first. (A component's `dependsOn`
   * does not reach its children, so it is passed to the release itself.)
   * @default none
   */
  readonly after?: readonly pulumi.Resource[];
}

/** The operator's namespace: its driver and toolkit pods need privileged access to the host. */
export function gpuOperatorNamespaceSpec(args: GpuOperatorArgs): Spec<k8s.types.input.core.v1.Namespace> {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: siteMetadata(args.site, args.operator.namespace, {
      component: "gpu-operator",
      labels: { [PodSecurityLabels.enforce]: "privileged" },
    }),
  };
}

/**
 * Where an upstream repository lives in the site's mirror: the same path under
 * the mirror's host (`nvcr.io/nvidia/k8s` becomes `<mirror>/nvidia/k8s`), the
 * layout a registry mirror keeps when it copies images one to one.
 */
export function mirroredRepository(imageRegistry: string, upstream: string): string {
  const path = upstream.slice(upstream.indexOf("/") + 1);
  return `${imageRegistry}/${path}`;
}

/** Sets `value` at a dotted path in a nested object, creating objects on the way. */
function setAt(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split(".");
  const last = keys.pop() ?? dotted;
  let node = target;
  for (const key of keys) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== "object") node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}

/**
 * Helm values: driver, toolkit, device plugin, DCGM exporter, feature discovery
 * and MIG manager on; every image the chart knows, from the in-country registry
 * under the path the chart uses (catalog `GPU_OPERATOR_IMAGES`). Only keys the
 * pinned chart reads (catalog `GPU_OPERATOR_VALUE_PATHS`).
 */
export function gpuOperatorValues(args: GpuOperatorArgs): Record<string, unknown> {
  const values: Record<string, unknown> = {
    operator: { runtimeClass: NVIDIA_RUNTIME_CLASS },
    driver: { enabled: true },
    toolkit: { enabled: true },
    devicePlugin: { enabled: true },
    dcgmExporter: { enabled: true },
    gfd: { enabled: true },
    migManager: { enabled: true },
    mig: { strategy: args.operator.migStrategy },
  };
  for (const image of GPU_OPERATOR_IMAGES) {
    setAt(values, `${image.valuesPath}.repository`, mirroredRepository(args.mirrors.imageRegistry, image.repository));
  }
  return values;
}

/** Where a Helm release takes a chart from: an OCI mirror names the chart in its URL, an https mirror is a repository. */
export function chartSource(repository: string, chart: string): { chart: string; repositoryOpts?: { repo: string } } {
  return repository.startsWith("oci://")
    ? { chart: `${repository.replace(/\/$/, "")}/${chart}` }
    : { chart, repositoryOpts: { repo: repository } };
}

/** The Helm release of the operator, from an https or OCI chart mirror. */
export function gpuOperatorReleaseArgs(args: GpuOperatorArgs): Spec<k8s.helm.v3.ReleaseArgs> {
  return {
    name: GPU_OPERATOR_CHART,
    namespace: args.operator.namespace,
    version: args.operator.chartVersion,
    ...chartSource(args.mirrors.chartRepository, GPU_OPERATOR_CHART),
    values: gpuOperatorValues(args),
  };
}

/** A PriorityClass the factory declares. */
export interface PriorityClassDef {
  readonly name: string;
  readonly value: number;
  readonly description: string;
}

/** The PriorityClasses for inference, training and batch work; Kueue's WorkloadPriorityClasses mirror them. */
export const PRIORITY_CLASSES: readonly PriorityClassDef[] = [
  { name: PriorityClassNames.inference, value: 100_000, description: "Interactive model serving; may preempt training." },
  { name: PriorityClassNames.training, value: 10_000, description: "Batch training and fine-tuning; resumes from checkpoints." },
  { name: PriorityClassNames.batch, value: 1_000, description: "Batch jobs and experiments; the first to yield GPUs." },
];

/** A PriorityClass object. */
export function priorityClassSpec(
  site: SiteConfig,
  def: PriorityClassDef,
): Spec<k8s.types.input.scheduling.v1.PriorityClass> {
  return {
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: siteMetadata(site, def.name, { component: "scheduling" }),
    value: def.value,
    globalDefault: false,
    preemptionPolicy: "PreemptLowerPriority",
    description: def.description,
  };
}

/** The site's GPU operator and GPU PriorityClasses. */
export class GpuOperator extends pulumi.ComponentResource {
  constructor(name: string, args: GpuOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:gpu:GpuOperator", name, {}, withGuardRails(opts));
    const ns = new k8s.core.v1.Namespace(childName(name, "namespace"), gpuOperatorNamespaceSpec(args), {
      parent: this,
    });
    new k8s.helm.v3.Release(childName(name, "release"), gpuOperatorReleaseArgs(args), {
      parent: this,
      dependsOn: [ns, ...(args.after ?? [])],
    });
    for (const def of PRIORITY_CLASSES) {
      new k8s.scheduling.v1.PriorityClass(childName(name, def.name), priorityClassSpec(args.site, def), {
        parent: this,
      });
    }
    this.registerOutputs({});
  }
}
