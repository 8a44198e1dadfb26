/**
 * A model of server-side apply's field ownership for the labels of one object
 * (Kubernetes structured-merge-diff, as kube-apiserver 1.34 applies it), and of
 * how pulumi-kubernetes drives it for a Patch resource. Read from
 * pulumi-kubernetes' provider (`provider/pkg/ssa/actions.go` `Relinquish`,
 * `provider/pkg/await/await.go` delete of a patch resource, and the update
 * path that relinquishes an old field manager), at the newest snapshot
 * available here (after v4.32.0; v4.34.2's tag is not in the mirror).
 *
 * - An apply under manager M with labels L: M now owns exactly the keys of L.
 *   A key another manager owns with a different value conflicts; with force,
 *   M takes it over and the other loses it. A key another manager owns with
 *   the same value is co-owned.
 * - Keys M owned before and L lacks leave M's set; a key no manager owns any
 *   more is removed from the object.
 * - Deleting a Patch resource applies an object with only apiVersion, kind and
 *   name under the patch's field manager: M owns nothing afterwards.
 */

/** Labels of one object, and who owns each key. */
export interface LabelledObject {
  labels: Record<string, string>;
  /** Field manager to the label keys it owns. */
  managers: Map<string, Set<string>>;
}

/** A new object with labels owned by one manager (e.g. the kubelet that registered a Node). */
export function createObject(labels: Record<string, string>, manager: string): LabelledObject {
  return { labels: { ...labels }, managers: new Map([[manager, new Set(Object.keys(labels))]]) };
}

/** A server-side apply of `labels` under `manager`; throws on a conflict unless `force`. */
export function apply(obj: LabelledObject, manager: string, labels: Record<string, string>, force: boolean): void {
  for (const [key, value] of Object.entries(labels)) {
    for (const [other, owned] of obj.managers) {
      if (other === manager || !owned.has(key) || obj.labels[key] === value) continue;
      if (!force) throw new Error(`conflict: ${key} is owned by ${other}`);
      owned.delete(key);
    }
  }
  const before = obj.managers.get(manager) ?? new Set<string>();
  for (const [key, value] of Object.entries(labels)) obj.labels[key] = value;
  obj.managers.set(manager, new Set(Object.keys(labels)));
  for (const key of before) {
    if (key in labels) continue;
    const stillOwned = [...obj.managers.values()].some((owned) => owned.has(key));
    if (!stillOwned) Reflect.deleteProperty(obj.labels, key);
  }
}

/** pulumi-kubernetes deleting a Patch resource: an empty apply under its field manager. */
export function relinquish(obj: LabelledObject, manager: string): void {
  apply(obj, manager, {}, false);
}

/** A controller writing labels with an update (not apply): it comes to own the keys it adds or changes. */
export function update(obj: LabelledObject, manager: string, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (obj.labels[key] === value) continue;
    obj.labels[key] = value;
    for (const [other, owned] of obj.managers) if (other !== manager) owned.delete(key);
    const mine = obj.managers.get(manager) ?? new Set<string>();
    mine.add(key);
    obj.managers.set(manager, mine);
  }
}
