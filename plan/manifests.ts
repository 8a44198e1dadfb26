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

/** A Helm release the stack installs, as a reviewer needs to see it. */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly values: Record<string, unknown>;
}

/** Every Helm release in a run. */
export function helmReleases(resources: readonly RecordedResource[]): HelmRelease[] {
  return resources
    .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
    .map((r) => {
      const i = r.inputs;
      const text = (v: unknown) => (typeof v === "string" ? v : "");
      const repo = (i["repositoryOpts"] ?? {}) as Record<string, unknown>;
      return {
        name: text(i["name"]) || r.name,
        namespace: text(i["namespace"]),
        chart: text(i["chart"]),
        version: text(i["version"]),
        repository: text(repo["repo"]),
        values: (i["values"] ?? {}) as Record<string, unknown>,
      };
    });
}

/** Writes each release's values as `<name>.values.yaml` under `dir`. */
export function writeHelmValues(dir: string, releases: readonly HelmRelease[]): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  if (releases.length === 0) return [];
  fs.mkdirSync(dir, { recursive: true });
  return releases.map((r) => {
    const file = `${r.name}.values.yaml`;
    fs.writeFileSync(path.join(dir, file), stringify(r.values, { lineWidth: 0 }));
    return file;
  });
}
