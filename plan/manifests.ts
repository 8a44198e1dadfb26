/**
 * Kubernetes objects out of a program run: which registrations are objects,
 * and how they are written as YAML for people and tools to read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { RecordedResource } from "./monitor";

/** A Kubernetes object as it would be sent to the API server. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The Kubernetes object a registration declares, if it declares one. */
export function kubernetesObject(resource: RecordedResource): KubernetesObject | undefined {
  if (!resource.custom || !resource.type.startsWith("kubernetes:")) return undefined;
  const { apiVersion, kind, metadata } = resource.inputs;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return undefined;
  if (metadata === null || typeof metadata !== "object") return undefined;
  return resource.inputs as unknown as KubernetesObject;
}

/** Every Kubernetes object in a run, in registration order. */
export function kubernetesObjects(resources: readonly RecordedResource[]): KubernetesObject[] {
  return resources.flatMap((r) => {
    const obj = kubernetesObject(r);
    return obj === undefined ? [] : [obj];
  });
}

/** A manifest to write: the object, and whether it patches an object the factory does not own. */
export interface ManifestEntry {
  readonly object: KubernetesObject;
  readonly patch: boolean;
}

/** Every object in a run with whether it is a patch (`NodePatch` and the like). */
export function manifestEntries(resources: readonly RecordedResource[]): ManifestEntry[] {
  return resources.flatMap((r) => {
    const object = kubernetesObject(r);
    return object === undefined ? [] : [{ object, patch: r.type.endsWith("Patch") }];
  });
}

/** Where a manifest goes: `<namespace or _cluster>/<kind>-<name>.yaml` (`.patch.yaml` for a patch). */
export function manifestPath(entry: ManifestEntry): string {
  const obj = entry.object;
  const scope = obj.metadata.namespace ?? "_cluster";
  const suffix = entry.patch ? ".patch.yaml" : ".yaml";
  return path.join(scope, `${obj.kind.toLowerCase()}-${obj.metadata.name}${suffix}`);
}

/** Writes each object as YAML under `dir`, replacing what an earlier plan left there. */
export function writeManifests(dir: string, entries: readonly ManifestEntry[]): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  for (const entry of entries) {
    const obj = entry.object;
    const rel = manifestPath(entry);
    if (written.includes(rel)) throw new Error(`two objects would be written to ${rel}`);
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stringify(obj, { lineWidth: 0 }));
    written.push(rel);
  }
  return written;
}
