/**
 * Walking a resource's property tree. Policies look at every value, wherever
 * it is nested (pod templates inside CronJobs, custom resources, Helm values),
 * because a rule that reads only known paths is a rule with a way around it.
 */

/** One value in a property tree, with the path that leads to it. */
export interface Visit {
  /** Readable path: `spec.template.spec.nodeSelector["topology.kubernetes.io/zone"]`. */
  readonly path: string;
  /** The key or index under which the value sits. */
  readonly key: string | number;
  readonly value: unknown;
  /** The object or array holding the value. */
  readonly parent: unknown;
}

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Appends a key to a path, quoting keys that are not plain identifiers. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Every value below `root`, depth first, each with its path. */
export function* walk(root: unknown, path = ""): Generator<Visit> {
  const stack: { value: unknown; path: string }[] = [{ value: root, path }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { value, path: here } = top;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i): [number, unknown] => [i, v])
      : isRecord(value)
        ? Object.entries(value)
        : [];
    const children = entries.map(([key, child]) => ({ key, child, path: joinPath(here, key) }));
    for (const { key, child, path: childPath } of children) yield { path: childPath, key, value: child, parent: value };
    for (const { child, path: childPath } of children.reverse()) stack.push({ value: child, path: childPath });
  }
}

/** Every object below `root` (itself included) that satisfies `test`, with its path. */
export function findObjects<T extends Record<string, unknown>>(
  root: unknown,
  test: (obj: Record<string, unknown>) => obj is T,
): { path: string; obj: T }[] {
  const found: { path: string; obj: T }[] = [];
  if (isRecord(root) && test(root)) found.push({ path: "", obj: root });
  for (const v of walk(root)) if (isRecord(v.value) && test(v.value)) found.push({ path: v.path, obj: v.value });
  return found;
}
