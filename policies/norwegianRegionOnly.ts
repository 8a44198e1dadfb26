/**
 * norwegian-region-only (mandatory): no region or zone value outside the
 * Norwegian catalogue, anywhere in any resource or in the provider it is
 * deployed with. Matching is strict: trimmed, lower-cased, exact.
 */
import type { ResourceValidationArgs } from "@pulumi/policy";
import { NORWEGIAN_REGIONS, NORWEGIAN_ZONES, isAllowedLocation } from "./catalog";
import { stringList } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { findLocations } from "./lib/locations";
import { type ResourceView, describe } from "./lib/resource";

/** Config of norwegian-region-only. */
export interface NorwegianRegionConfig {
  allowedRegions: string[];
  allowedZones: string[];
}

/** Defaults: the Norwegian region catalogue. */
export const NORWEGIAN_REGION_DEFAULTS: NorwegianRegionConfig = {
  allowedRegions: [...NORWEGIAN_REGIONS],
  allowedZones: [...NORWEGIAN_ZONES],
};

const combined = new WeakMap<NorwegianRegionConfig, string[]>();

/** Regions and zones in one list, made once per config. */
function allowedLocations(config: NorwegianRegionConfig): string[] {
  let list = combined.get(config);
  if (!list) {
    list = [...config.allowedRegions, ...config.allowedZones];
    combined.set(config, list);
  }
  return list;
}

/** Violation messages for every non-Norwegian location in a resource. */
export function regionViolations(r: ResourceView, config: NorwegianRegionConfig, via = ""): string[] {
  const allowed = allowedLocations(config);
  return findLocations(r.props).flatMap((f) => {
    const where = `${describe(r)}${via}: ${f.path}`;
    if (f.problem !== undefined) return [`${where}: ${f.problem}`];
    if (isAllowedLocation(f.value, allowed)) return [];
    return [`${where} = ${JSON.stringify(f.value)} is not a Norwegian region or zone`];
  });
}

/** Violations of a resource and of the provider it is deployed with. */
function withProvider(r: ResourceView & Pick<ResourceValidationArgs, "provider">, config: NorwegianRegionConfig): string[] {
  const own = regionViolations(r, config);
  if (!r.provider) return own;
  const viaProvider = { ...r.provider, name: r.name, type: r.type };
  return [...own, ...regionViolations(viaProvider, config, ` via provider ${r.provider.name}`)];
}

/** The policy. */
export const norwegianRegionOnly = resourcePolicy({
  name: "norwegian-region-only",
  description: "Nothing may be placed in, pinned to, replicated to or backed up to a region that is not Norwegian.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedRegions: stringList("Region names that are Norwegian.", NORWEGIAN_REGION_DEFAULTS.allowedRegions),
      allowedZones: stringList("Zone names that are Norwegian.", NORWEGIAN_REGION_DEFAULTS.allowedZones),
    },
  },
  defaults: NORWEGIAN_REGION_DEFAULTS,
  violations: withProvider,
});
