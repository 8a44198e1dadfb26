/**
 * Policy config. The engine applies schema defaults when it configures the
 * pack, but a pack started without config gets none, so every policy merges
 * its own defaults (taken from the shared catalogues) under what it is given.
 */

const merged = new WeakMap<object, Map<string, object>>();

/**
 * A policy's config: the given values over the defaults. The result is the
 * same object for the same input, so per-config work (normalised allow-lists)
 * is done once, not once per resource.
 */
export function withDefaults<T extends object>(given: Partial<T> | undefined, defaults: T): T {
  if (!given || Object.keys(given).length === 0) return defaults;
  let byInput = merged.get(defaults);
  if (!byInput) {
    byInput = new Map();
    merged.set(defaults, byInput);
  }
  const key = JSON.stringify(given);
  const hit = byInput.get(key);
  if (hit) return hit as T;
  const out: T = { ...defaults };
  for (const k of Object.keys(defaults) as (keyof T)[]) {
    const value = given[k];
    if (value !== undefined && value !== null) out[k] = value;
  }
  byInput.set(key, out);
  return out;
}

/** JSON schema for a list of strings with a default. */
export function stringList(description: string, defaults: readonly string[]) {
  return { type: "array" as const, items: { type: "string" as const }, default: [...defaults], description };
}
