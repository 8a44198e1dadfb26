/**
 * The site program's check of the whole site, with no second run and no
 * child process: while the program declares its resources, each one is
 * collected (its known inputs) and held back from the engine (it waits on
 * the gate below, through `dependsOn`). When the program has declared
 * everything, the pack's stack policies judge the collected site; a
 * mandatory violation rejects the gate, so nothing is registered and the
 * program stops with the pack's messages. Otherwise the gate opens and every
 * resource proceeds. The cost is the stack policies over what the program
 * built anyway, not a second plan of the site.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { policies } from "../policies/policies";
import { type JudgedResource, judgeResources } from "./judge";

/** The mandatory stack policies: the ones only the whole site can break. */
const MANDATORY_STACK_POLICIES = policies.filter(
  (p): p is StackValidationPolicy => "validateStack" in p && typeof p.validateStack === "function" && p.enforcementLevel === "mandatory",
);

/** How many held resources are released at a time when the site passes (then one event-loop turn). */
const RELEASE_BATCH = 25;

interface Waiter {
  resolve(value: pulumi.Resource[]): void;
  reject(err: unknown): void;
}

interface Gate {
  /** The stack being collected: a gate never outlives its program run. */
  readonly stack: pulumi.Resource | undefined;
  readonly resources: JudgedResource[];
  /** Resources whose inputs are completed before judging (assets' contents, read locally). */
  readonly completing: Promise<void>[];
  /** Findings of the resource policies, reported with the site's. */
  readonly violations: { policy: string; message: string }[];
  readonly waiters: Waiter[];
  settled: boolean;
  failed: boolean;
  error?: unknown;
}

let gate: Gate | undefined;
let lastCheckMs = 0;

/** How long the last site check took to judge the site, in milliseconds (the benchmark reports it). */
export function lastSiteCheckMs(): number {
  return lastCheckMs;
}

/** Starts collecting the site: resources declared from now on wait for `checkSite`. */
export function holdForSiteCheck(): void {
  gate = { stack: pulumi.runtime.getStackResource(), resources: [], completing: [], violations: [], waiters: [], settled: false, failed: false };
}

/** The gate of the running stack, if one is held. */
function current(): Gate | undefined {
  return gate !== undefined && gate.stack === pulumi.runtime.getStackResource() ? gate : undefined;
}

/** The promise a resource waits on before it is registered, while the site is collected (or after it failed). */
export function siteCheckGate(): Promise<pulumi.Resource[]> | undefined {
  const g = current();
  if (g === undefined) return undefined;
  if (g.failed) return Promise.reject(g.error instanceof Error ? g.error : new Error(String(g.error)));
  if (g.settled) return undefined;
  return new Promise<pulumi.Resource[]>((resolve, reject) => g.waiters.push({ resolve, reject }));
}

/**
 * Adds a declared resource (its known inputs, and what the resource policies
 * found in it) to the site being collected; false when no site is collected.
 */
export function collectForSiteCheck(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  violations: readonly { policy: string; message: string }[],
  completed?: Promise<Record<string, unknown>>,
): boolean {
  const g = current();
  if (g === undefined || g.settled) return false;
  g.violations.push(...violations);
  const urn = `${type}::${name}`;
  const at = g.resources.push({ urn, type, name, custom: true, parent: undefined, provider: undefined, inputs, options: { protect: false } }) - 1;
  if (completed !== undefined) {
    g.completing.push(completed.then((all) => void (g.resources[at] = { ...(g.resources[at] as JudgedResource), inputs: all })));
  }
  return true;
}

/** Stops the site: every held resource fails with this error and none is registered. */
export function failSiteCheck(err: unknown): void {
  const g = current();
  if (g === undefined || g.settled) return;
  g.settled = true;
  g.failed = true;
  g.error = err;
  for (const w of g.waiters.splice(0)) w.reject(err);
}

/**
 * Lets the held resources go, a batch per event-loop turn, in the order they
 * were declared: as the program declares a large site in steps, so that the
 * SDK never has every registration in flight at once.
 */
async function release(waiters: readonly Waiter[]): Promise<void> {
  for (let i = 0; i < waiters.length; i += RELEASE_BATCH) {
    for (const w of waiters.slice(i, i + RELEASE_BATCH)) w.resolve([]);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The mandatory stack-policy violations of a collected site. */
export async function siteViolations(resources: readonly JudgedResource[]): Promise<{ policy: string; message: string }[]> {
  const found = await judgeResources(resources, MANDATORY_STACK_POLICIES, "stack");
  return found.filter((v) => v.enforcement === "mandatory").map((v) => ({ policy: v.policy, message: v.message }));
}

/**
 * Judges the collected site and opens the gate, or rejects it with the
 * violations (`makeError` builds the error the program throws). Returns the
 * time the judgement took, in milliseconds.
 */
export async function checkSite(makeError: (violations: { policy: string; message: string }[]) => Error): Promise<number> {
  const g = current();
  if (g === undefined || g.settled) return 0;
  const started = performance.now();
  await Promise.all(g.completing);
  const violations = [...g.violations, ...(await siteViolations(g.resources))];
  const took = performance.now() - started;
  lastCheckMs = took;
  if (violations.length > 0) {
    const err = makeError(violations);
    failSiteCheck(err);
    throw err;
  }
  g.settled = true;
  gate = undefined;
  void release(g.waiters.splice(0));
  return took;
}
