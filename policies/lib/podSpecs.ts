/**
 * Pod specs wherever they are embedded: a Pod's spec, a Deployment's
 * template, a CronJob's job template, a custom resource's worker template.
 * Anything with a `containers` list is treated as a pod spec.
 */
import { findObjects, isRecord } from "./walk";

/** A container as policies read it. */
export interface ContainerView {
  readonly name?: unknown;
  readonly image?: unknown;
  readonly command?: unknown;
  readonly args?: unknown;
  readonly env?: unknown;
  readonly resources?: unknown;
  readonly [key: string]: unknown;
}

/** A pod spec found in a resource, with its path. */
export interface PodSpecView {
  readonly path: string;
  readonly spec: Record<string, unknown>;
  readonly containers: readonly ContainerView[];
}

function isPodSpec(obj: Record<string, unknown>): obj is Record<string, unknown> & { containers: unknown[] } {
  return Array.isArray(obj["containers"]);
}

/** Every pod spec in a resource, with its containers and init containers. */
export function podSpecs(props: unknown): PodSpecView[] {
  return findObjects(props, isPodSpec).map(({ path, obj }) => {
    const init: unknown[] = Array.isArray(obj["initContainers"]) ? obj["initContainers"] : [];
    const containers: ContainerView[] = [...obj.containers, ...init].filter(isRecord);
    return { path, spec: obj, containers };
  });
}

/** A container's environment as a name-to-value map (values from secrets are omitted). */
export function envOf(container: ContainerView): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(container.env)) return out;
  for (const e of container.env) {
    if (isRecord(e) && typeof e["name"] === "string" && typeof e["value"] === "string") out[e["name"]] = e["value"];
  }
  return out;
}

/** GPUs a container asks for (the larger of request and limit). */
export function gpusRequested(container: ContainerView, resource: string): number {
  const res = isRecord(container.resources) ? container.resources : {};
  const amount = (section: unknown) => {
    const v = isRecord(section) ? section[resource] : undefined;
    const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : 0;
    return Number.isFinite(n) ? n : 0;
  };
  return Math.max(amount(res["requests"]), amount(res["limits"]));
}
