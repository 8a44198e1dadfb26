/**
 * norwegian-region-only (mandatory): no region or zone value outside the
 * Norwegian catalogue, anywhere in any resource or in the provider it is
 * deployed with. Matching is strict: trimmed, lower-cased, exact.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy, ReportViolation } from "@pulumi/policy";
import { NORWEGIAN_REGIONS, NORWEGIAN_ZONES, isAllowedLocation } from "../catalog";
import { stringList, withDefaults } from "./lib/config";
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

function validate(args: ResourceValidationArgs, report: ReportViolation): void {
  const config = withDefaults(args.getConfig<Partial<NorwegianRegionConfig>>(), NORWEGIAN_REGION_DEFAULTS);
  for (const message of regionViolations(args, config)) report(message);
  if (args.provider) {
    const via = ` via provider ${args.provider.name}`;
    for (const message of regionViolations({ ...args.provider, name: args.name, type: args.type }, config, via)) {
      report(message);
    }
  }
}

/** The policy. */
export const norwegianRegionOnly: ResourceValidationPolicy = {
  name: "norwegian-region-only",
  description: "Nothing may be placed in, pinned to, replicated to or backed up to a region that is not Norwegian.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedRegions: stringList("Region names that are Norwegian.", NORWEGIAN_REGION_DEFAULTS.allowedRegions),
      allowedZones: stringList("Zone names that are Norwegian.", NORWEGIAN_REGION_DEFAULTS.allowedZones),
    },
  },
  validateResource: validate,
};
