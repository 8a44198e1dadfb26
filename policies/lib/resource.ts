/**
 * What policies read from a resource as the engine hands it over: its type,
 * name, URN and input properties, and (for Kubernetes objects) kind,
 * namespace and labels.
 */
import { isRecord } from "./walk";

/** The part of a resource every policy reads. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
}

/** The Kubernetes kind of a resource, if it is a Kubernetes object. */
export function kindOf(r: ResourceView): string | undefined {
  const kind = r.props["kind"];
  return r.type.startsWith("kubernetes:") && typeof kind === "string" ? kind : undefined;
}

/** `metadata` of a Kubernetes object, or an empty record. */
export function metadataOf(r: ResourceView): Record<string, unknown> {
  const meta = r.props["metadata"];
  return isRecord(meta) ? meta : {};
}

/** A string map (labels, annotations, data), with non-string values dropped. */
export function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Labels of a Kubernetes object. */
export function labelsOf(r: ResourceView): Record<string, string> {
  return stringMap(metadataOf(r)["labels"]);
}

/** Annotations of a Kubernetes object. */
export function annotationsOf(r: ResourceView): Record<string, string> {
  return stringMap(metadataOf(r)["annotations"]);
}

/** Namespace of a namespaced Kubernetes object; a Namespace's own name for a Namespace. */
export function namespaceOf(r: ResourceView): string | undefined {
  const meta = metadataOf(r);
  if (kindOf(r) === "Namespace") return typeof meta["name"] === "string" ? meta["name"] : undefined;
  return typeof meta["namespace"] === "string" ? meta["namespace"] : undefined;
}

/** How a violation names a resource: `name (type)`. */
export function describe(r: Pick<ResourceView, "name" | "type">): string {
  return `${r.name} (${r.type})`;
}

/** A violation tied to the resource it is about. */
export interface Violation {
  readonly urn: string;
  readonly message: string;
}
