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

/** Where an object's manifest goes: `<namespace or _cluster>/<kind>-<name>.yaml`. */
export function manifestPath(obj: KubernetesObject): string {
  const scope = obj.metadata.namespace ?? "_cluster";
  return path.join(scope, `${obj.kind.toLowerCase()}-${obj.metadata.name}.yaml`);
}

/** Writes each object as YAML under `dir`, replacing what an earlier plan left there. */
export function writeManifests(dir: string, objects: readonly KubernetesObject[]): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  for (const obj of objects) {
    const rel = manifestPath(obj);
    if (written.includes(rel)) throw new Error(`two objects would be written to ${rel}`);
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stringify(obj, { lineWidth: 0 }));
    written.push(rel);
  }
  return written;
}
