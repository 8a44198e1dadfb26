/**
 * Kubernetes resource quantities (`500Gi`, `2`, `250m`, `0e5`) as numbers, so
 * config can refuse zero where zero makes no object (a volume of no bytes, a
 * container with no CPU, an autoscaler target of nothing).
 */

/** A quantity as written: digits with an optional fraction, exponent or suffix. */
export const QUANTITY = /^(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[KMGTPE]|k|m)?$/;

const SUFFIXES: Readonly<Record<string, number>> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a quantity (`500m` is 0.5, `1Ki` is 1024), or undefined when it is not one. */
export function quantityValue(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const [, digits = "", , tail = ""] = match;
  if (/^[eE]/.test(tail)) return Number(`${digits}${tail}`);
  const factor = SUFFIXES[tail];
  return factor === undefined ? undefined : Number(digits) * factor;
}
