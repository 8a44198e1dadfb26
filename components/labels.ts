/**
 * Label sets built from validated config. Keys come from the catalogue; this
 * module only decides which labels a kind of object carries.
 */
import {
  Annotations,
  Labels,
  MANAGED_BY,
  PART_OF,
  WellKnownLabels,
  isRenewableSource,
} from "../catalog";
import type { SiteConfig, TenantConfig } from "../config";

/** A label or annotation map. */
export type LabelMap = Readonly<Record<string, string>>;

/** Labels on every object the factory declares: who manages it and what it belongs to. */
export function standardLabels(component?: string): LabelMap {
  return {
    [WellKnownLabels.managedBy]: MANAGED_BY,
    [WellKnownLabels.partOf]: PART_OF,
    ...(component === undefined ? {} : { [WellKnownLabels.component]: component }),
  };
}

/**
 * Site, region and power labels, carried by every object placed at a site so
 * that policies can tell where it runs and on what power.
 */
export function siteLabels(site: SiteConfig): LabelMap {
  const power = site.power;
  return {
    [Labels.site]: site.name,
    [Labels.region]: site.region,
    [Labels.powerSource]: power.source,
    [Labels.renewable]: String(isRenewableSource(power.source)),
    ...(power.guaranteeOfOrigin === undefined ? {} : { [Labels.guaranteeOfOrigin]: power.guaranteeOfOrigin }),
    ...(site.heatReuse === undefined ? {} : { [Labels.heatReuse]: site.heatReuse.kind }),
  };
}

/** Labels of an object that belongs to a tenant. */
export function tenantLabels(tenant: Pick<TenantConfig, "name" | "dataClassification">): LabelMap {
  return {
    [Labels.tenant]: tenant.name,
    [Labels.dataClassification]: tenant.dataClassification,
  };
}

/** Standard metadata for a site object: name, optional namespace, labels, annotations. */
export function siteMetadata(
  site: SiteConfig,
  name: string,
  options: { namespace?: string; component?: string; labels?: LabelMap; annotations?: LabelMap } = {},
): {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
} {
  return {
    name,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    labels: { ...standardLabels(options.component), ...siteLabels(site), ...options.labels },
    ...(options.annotations === undefined ? {} : { annotations: { ...options.annotations } }),
  };
}

/** Annotation describing an object for people reading the cluster. */
export function descriptionAnnotation(text: string | undefined): LabelMap {
  return text === undefined ? {} : { [Annotations.description]: text };
}
