/**
 * Known values only. During `pulumi preview` the engine sends values that are
 * not known yet (outputs of resources not yet created) as placeholders, and
 * @pulumi/policy hands policies a proxy that throws on reading one; the
 * analyzer then skips the whole policy for that resource ("can't run during
 * preview"), or for the whole stack. So one unknown value anywhere would
 * switch the guard rails off on a first preview. Policies instead read the
 * proxy's target with every unknown value left out, and judge all that is
 * known; `pulumi up` runs them again once every value is known.
 */

import { isAssetLike } from "./assets";

/** The proxy's escape hatch and the engine's placeholders, as @pulumi/policy defines them (`proxy.js`). */
interface PolicyProxyModule {
  readonly getSpecialProxyTarget: string;
  readonly unknownBooleanValue: string;
  readonly unknownNumberValue: string;
  readonly unknownStringValue: string;
  readonly unknownArrayValue: string;
  readonly unknownAssetValue: string;
  readonly unknownArchiveValue: string;
  readonly unknownObjectValue: string;
}

// Internal to @pulumi/policy (absent from its typings), but what its analyzer uses.
const proxy = require("@pulumi/policy/proxy") as PolicyProxyModule;

const UNKNOWNS: ReadonlySet<unknown> = new Set([
  proxy.unknownBooleanValue,
  proxy.unknownNumberValue,
  proxy.unknownStringValue,
  proxy.unknownArrayValue,
  proxy.unknownAssetValue,
  proxy.unknownArchiveValue,
  proxy.unknownObjectValue,
]);

/** Whether a value is the engine's placeholder for a value not known yet. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWNS.has(value);
}

function withoutUnknowns(value: unknown): unknown {
  // An asset's fields are promises (the analyzer's `FileAsset`, `StringAsset`): kept for `withAssetText`.
  if (isAssetLike(value)) return value;
  if (Array.isArray(value)) return value.filter((v) => !isUnknown(v)).map(withoutUnknowns);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!isUnknown(v)) out[k] = withoutUnknowns(v);
    return out;
  }
  return value;
}

/**
 * A resource's properties with unknown values left out. Plain properties (the
 * offline plan's direct run) are returned as they are, at no cost.
 */
export function knownProps(props: Record<string, unknown>): Record<string, unknown> {
  const target: unknown = props[proxy.getSpecialProxyTarget];
  if (target === null || typeof target !== "object") return props;
  return withoutUnknowns(target) as Record<string, unknown>;
}
