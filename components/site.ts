/**
 * The site declared in the cluster: the factory's system namespace and a site
 * record (ConfigMap) with region, zones, power source, its Guarantee of Origin,
 * contracted capacity, PUE and heat reuse, for policies and people to read.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Annotations, Labels, PodSecurityLabels, isRenewableSource } from "../catalog";
import type { EnergyConfig, SiteConfig } from "../config";
import { descriptionAnnotation, siteMetadata } from "./labels";
import { childName } from "./naming";
import type { Spec } from "./spec";
import { withGuardRails } from "./guardRails";

/** Name of the site record ConfigMap in the system namespace. */
export const SITE_RECORD_NAME = "site";

/** Inputs of a site declaration. */
export interface SiteDeclarationArgs {
  /** The validated site config. */
  readonly site: SiteConfig;
  /** Namespace for the factory's own objects. */
  readonly systemNamespace: string;
  /**
   * Installed IT power and which yearly figures are metered, for the energy-reporting policy.
   * @default none declared
   */
  readonly energy?: EnergyConfig;
}

/** The system namespace: privileged workloads of the factory itself are not allowed here either. */
export function systemNamespaceSpec(args: SiteDeclarationArgs): Spec<k8s.types.input.core.v1.Namespace> {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: siteMetadata(args.site, args.systemNamespace, {
      component: "system",
      labels: {
        [PodSecurityLabels.enforce]: "baseline",
        [PodSecurityLabels.audit]: "restricted",
        [PodSecurityLabels.warn]: "restricted",
      },
      annotations: descriptionAnnotation(args.site.displayName),
    }),
  };
}

/** The site record: every fact about the site a policy needs, as plain strings. */
export function siteRecordData(site: SiteConfig, energy?: EnergyConfig): Record<string, string> {
  const heat = site.heatReuse;
  return {
    name: site.name,
    region: site.region,
    zones: site.zones.join(","),
    powerSource: site.power.source,
    renewable: String(isRenewableSource(site.power.source)),
    guaranteeOfOrigin: site.power.guaranteeOfOrigin ?? "",
    capacityKw: String(site.power.capacityKw),
    pue: String(site.power.pue),
    heatReuseConsumer: heat?.consumer ?? "",
    heatReuseKind: heat?.kind ?? "",
    heatRecoveredFraction: heat === undefined ? "" : String(heat.recoveredFraction),
    installedItKw: energy?.installedItKw === undefined ? "" : String(energy.installedItKw),
    reportingYear: energy?.reportingYear === undefined ? "" : String(energy.reportingYear),
    meteredFigures: Object.keys(energy?.metered ?? {}).sort().join(","),
  };
}

/** The site record ConfigMap. */
export function siteRecordSpec(args: SiteDeclarationArgs): Spec<k8s.types.input.core.v1.ConfigMap> {
  const heat = args.site.heatReuse;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: siteMetadata(args.site, SITE_RECORD_NAME, {
      namespace: args.systemNamespace,
      component: "site-record",
      labels: { [Labels.siteDeclaration]: "true" },
      annotations: {
        ...descriptionAnnotation(args.site.displayName),
        ...(heat === undefined ? {} : { [Annotations.heatReuseConsumer]: heat.consumer }),
      },
    }),
    data: siteRecordData(args.site, args.energy),
  };
}

/** Declares a site in its cluster: system namespace and site record. */
export class SiteDeclaration extends pulumi.ComponentResource {
  /** The system namespace's name. */
  public readonly systemNamespace: pulumi.Output<string>;

  constructor(name: string, args: SiteDeclarationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:site:SiteDeclaration", name, {}, withGuardRails(opts));
    const ns = new k8s.core.v1.Namespace(childName(name, "system"), systemNamespaceSpec(args), { parent: this });
    new k8s.core.v1.ConfigMap(childName(name, "record"), siteRecordSpec(args), { parent: this, dependsOn: [ns] });
    this.systemNamespace = ns.metadata.name;
    this.registerOutputs({ systemNamespace: this.systemNamespace });
  }
}
