/**
 * The power vocabulary: which energy sources count as renewable. A site on a
 * renewable source must also name the cancelled Guarantees of Origin that back
 * the claim, because most Norwegian GOs are sold abroad and the grid mix alone
 * does not make a site renewable.
 */

/** Sources the factory accepts as renewable. */
export const RENEWABLE_POWER_SOURCES = ["hydro", "wind", "solar", "geothermal"] as const;

/** Sources that are recognised but not renewable. */
export const NON_RENEWABLE_POWER_SOURCES = ["grid-mix", "gas", "coal", "oil", "diesel"] as const;

/** Every power source a site may declare. */
export const POWER_SOURCES = [...RENEWABLE_POWER_SOURCES, ...NON_RENEWABLE_POWER_SOURCES] as const;

/** A power source a site may declare. */
export type PowerSource = (typeof POWER_SOURCES)[number];

/** Whether a declared power source counts as renewable (strict, case-insensitive). */
export function isRenewableSource(source: string, allowList: Iterable<string> = RENEWABLE_POWER_SOURCES): boolean {
  const normal = source.trim().toLowerCase();
  for (const allowed of allowList) {
    if (allowed.toLowerCase() === normal) return true;
  }
  return false;
}

/** Hours in a year, for turning kW into kWh per year. */
export const HOURS_PER_YEAR = 8_760;
