/**
 * What a change does to a site: resources added, changed and removed against
 * a previous `plan.json`, by URN. Removing a data-bearing resource is called
 * out, because `pulumi up` will refuse it (protected) and the data stays.
 */
import type { RecordedResource } from "./monitor";

/** A resource as `plan.json` stores it. */
export type PlannedResource = Pick<RecordedResource, "urn" | "type" | "name" | "inputs" | "options">;

/** One changed resource and the top-level input keys that differ. */
export interface ChangedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly keys: readonly string[];
}

/** The difference between two plans. */
export interface PlanDiff {
  readonly added: readonly PlannedResource[];
  readonly changed: readonly ChangedResource[];
  readonly removed: readonly PlannedResource[];
  /** Removed resources that hold data (retained and protected): `pulumi up` stops on them. */
  readonly removedData: readonly PlannedResource[];
}

/** JSON with object keys sorted, so equal values compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The input keys whose values differ, `metadata` split one level deeper. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((k) => {
    if (canonical(before[k]) === canonical(after[k])) return [];
    const b = before[k];
    const a = after[k];
    if (k === "metadata" && b !== null && a !== null && typeof b === "object" && typeof a === "object") {
      return changedKeys(b as Record<string, unknown>, a as Record<string, unknown>).map((sub) => `metadata.${sub}`);
    }
    return [k];
  });
}

/** Compares a previous plan's resources with this plan's. */
export function diffPlans(previous: readonly PlannedResource[], next: readonly PlannedResource[]): PlanDiff {
  const before = new Map(previous.map((r) => [r.urn, r]));
  const after = new Map(next.map((r) => [r.urn, r]));
  const added = next.filter((r) => !before.has(r.urn));
  const removed = previous.filter((r) => !after.has(r.urn));
  const changed = next.flatMap((r) => {
    const old = before.get(r.urn);
    if (!old) return [];
    const keys = changedKeys(old.inputs, r.inputs);
    return keys.length === 0 ? [] : [{ urn: r.urn, type: r.type, name: r.name, keys }];
  });
  return { added, changed, removed, removedData: removed.filter((r) => r.options.protect || r.options.retainOnDelete) };
}
