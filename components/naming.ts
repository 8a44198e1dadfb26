/**
 * Deterministic names. Every child's name derives from its component's name
 * and its role, never from time or randomness, so a plan is reproducible and
 * a diff shows only what changed.
 */

/** The Pulumi name of a component's child: `${parent}-${role}`. */
export function childName(parent: string, role: string): string {
  if (parent === "" || role === "") throw new Error(`childName needs a parent and a role, got '${parent}' and '${role}'`);
  return `${parent}-${role}`;
}
