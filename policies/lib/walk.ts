/**
 * Walking a resource's property tree. Policies look at every value, wherever
 * it is nested (pod templates inside CronJobs, custom resources, Helm values),
 * because a rule that reads only known paths is a rule with a way around it.
 *
 * The walk is a plain recursion that keeps the path as an array of keys and
 * formats it only when a policy reports something: policies run on every
 * resource of every plan, so a walk must cost about what JSON does.
 */

/** The keys from the root to a value. */
export type PathParts = readonly (string | number)[];

/** Called for every value below the root, with its key, holder and path (valid only during the call). */
export type Visitor = (key: string | number, value: unknown, parent: unknown, parts: PathParts) => void;

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

/** `spec.template.spec.nodeSelector["topology.kubernetes.io/zone"]` from its keys. */
export function formatPath(parts: PathParts, from = 0): string {
  let path = "";
  for (const part of parts.slice(from)) path = joinPath(path, part);
  return path;
}

function visitChildren(value: unknown, parts: (string | number)[], visitor: Visitor): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      parts.push(i);
      visitor(i, child, value, parts);
      if (child !== null && typeof child === "object") visitChildren(child, parts, visitor);
      parts.pop();
    }
  } else if (value !== null && typeof value === "object") {
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      parts.push(key);
      visitor(key, child, value, parts);
      if (child !== null && typeof child === "object") visitChildren(child, parts, visitor);
      parts.pop();
    }
  }
}

/** Calls `visitor` for every value below `root`, depth first. */
export function visit(root: unknown, visitor: Visitor): void {
  visitChildren(root, [], visitor);
}

/** Every object below `root` (itself included) that satisfies `test`, with its path. */
export function findObjects<T extends Record<string, unknown>>(
  root: unknown,
  test: (obj: Record<string, unknown>) => obj is T,
): { path: string; obj: T }[] {
  const found: { path: string; obj: T }[] = [];
  if (isRecord(root) && test(root)) found.push({ path: "", obj: root });
  visit(root, (_key, value, _parent, parts) => {
    if (isRecord(value) && test(value)) found.push({ path: formatPath(parts), obj: value });
  });
  return found;
}

/** Memoises a string predicate; keys repeat across resources (`name`, `labels`, ...). */
export function memoKeyTest(test: (key: string) => boolean): (key: string) => boolean {
  const cache = new Map<string, boolean>();
  return (key) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = test(key);
      if (cache.size < 10_000) cache.set(key, hit);
    }
    return hit;
  };
}
