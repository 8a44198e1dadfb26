/**
 * What of a resource's inputs the guard rails can judge: the values known
 * when it is declared, and, during `up`, every value once known, resolved
 * without lifting the whole input tree into Outputs (which would hold
 * promises for every field of every resource while the site is held).
 */
import * as pulumi from "@pulumi/pulumi";

/** Whether a value is an asset or archive (by the SDK's markers, which hold across SDK copies). */
function isAssetOrArchive(value: unknown): boolean {
  return pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value);
}

/**
 * Inputs with every value not known yet (an Output, a promise) left out, as
 * the pack leaves out unknowns; assets too, whose contents are read and
 * judged apart (`withAssetContents` in `assets.ts`).
 */
export function knownInputs(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise || pulumi.Resource.isInstance(value)) return undefined;
  if (isAssetOrArchive(value)) return undefined;
  if (Array.isArray(value)) return value.map(knownInputs).filter((v) => v !== undefined);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const known = knownInputs(v);
      if (known !== undefined) out[k] = known;
    }
    return out;
  }
  return value;
}

/** Whether any value in the inputs is an Output or a promise (an asset's own promises aside: its contents are read apart, and it stays whole). */
export function hasPendingValues(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
  if (isAssetOrArchive(value)) return false;
  if (Array.isArray(value)) return value.some(hasPendingValues);
  if (value !== null && typeof value === "object" && !pulumi.Resource.isInstance(value)) return Object.values(value).some(hasPendingValues);
  return false;
}

/** The SDK's own view of an Output (internal members every Output has), to tell unknown and secret values apart. */
interface OutputInternals {
  readonly isKnown: Promise<boolean>;
  readonly isSecret: Promise<boolean>;
  promise(): Promise<unknown>;
}

/** Inputs with every Output and promise resolved: whether all are known, whether any is secret, and the value. */
export interface Settled {
  readonly known: boolean;
  readonly secret: boolean;
  readonly value: unknown;
}

function combine(parts: readonly Settled[]): { known: boolean; secret: boolean } {
  return { known: parts.every((p) => p.known), secret: parts.some((p) => p.secret) };
}

/**
 * The inputs with their Outputs and promises resolved (as `pulumi.output`
 * unwraps them: an Output's value may hold more), unknown as soon as one
 * is. Only the branches that hold a pending value are walked and awaited;
 * the rest is the same object.
 */
export async function settledInputs(value: unknown): Promise<Settled> {
  if (pulumi.Output.isInstance(value)) {
    const o = value as unknown as OutputInternals;
    const [known, secret] = await Promise.all([o.isKnown, o.isSecret]);
    if (!known) return { known: false, secret, value: undefined };
    const inner = await settledInputs(await o.promise());
    return { ...inner, secret: secret || inner.secret };
  }
  if (value instanceof Promise) return settledInputs(await value);
  if (!hasPendingValues(value)) return { known: true, secret: false, value };
  if (Array.isArray(value)) {
    const parts = await Promise.all(value.map(settledInputs));
    return { ...combine(parts), value: parts.map((p) => p.value) };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const parts = await Promise.all(entries.map(([, v]) => settledInputs(v)));
  return { ...combine(parts), value: Object.fromEntries(entries.map(([k], i) => [k, parts[i]?.value])) };
}
