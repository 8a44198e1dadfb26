/**
 * Policy config. The engine applies schema defaults when it configures the
 * pack, but a pack started without config gets none, so every policy merges
 * its own defaults (taken from the shared catalogues) under what it is given.
 */

/** A policy's config: the given values over the defaults. */
export function withDefaults<T extends object>(given: Partial<T> | undefined, defaults: T): T {
  const out: T = { ...defaults };
  if (!given) return out;
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = given[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

/** JSON schema for a list of strings with a default. */
export function stringList(description: string, defaults: readonly string[]) {
  return { type: "array" as const, items: { type: "string" as const }, default: [...defaults], description };
}
