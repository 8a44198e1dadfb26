/**
 * Guard rails in the program itself, for every path a change takes to a
 * cluster: a `pulumi up` without `--policy-pack`, the Pulumi Kubernetes
 * Operator (which runs no policy packs), or a user's own program that
 * imports the components. The mandatory resource policies of the pack run
 * on every resource before it is registered (a stack transformation, so a
 * violation stops the program with the pack's own message). Values that are
 * Outputs are judged once known: the resource waits for them (an extra
 * `dependsOn` that settles after the check), so during `up` a foreign value
 * computed from another resource is refused before this one is registered;
 * during preview an unknown value stays unjudged, as in the pack. The site
 * program also checks the whole site before anything is registered
 * (`siteCheck.ts`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { policies } from "../policies/policies";
import { hasAssets, withAssetContents } from "./assets";
import { hasPendingValues, knownInputs, settledInputs } from "./known";
import { collectForSiteCheck, failSiteCheck, siteCheckGate } from "./siteCheck";

/** The mandatory resource policies: the ones a single resource can break. */
const MANDATORY_RESOURCE_POLICIES = policies.filter(
  (p): p is ResourceValidationPolicy => "validateResource" in p && p.enforcementLevel === "mandatory",
);

/** Raised when a resource breaks a mandatory policy; names the policy, resource, path and value. */
export class GuardRailError extends pulumi.RunError {
  constructor(public readonly violations: readonly { policy: string; message: string }[]) {
    super(`Refused by the sovereign-ai-factory guard rails (mandatory policies):\n${violations.map((v) => `  - [${v.policy}] ${v.message}`).join("\n")}`);
    this.name = "GuardRailError";
  }
}

/** The mandatory resource policies' findings for one resource, as the pack would report them. */
export function resourceViolations(type: string, name: string, props: Record<string, unknown>): { policy: string; message: string }[] {
  const found: { policy: string; message: string }[] = [];
  const args = {
    type,
    name,
    urn: name,
    props,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map(),
    getConfig: () => ({}) as never,
    notApplicable: (): never => {
      throw new Error("not applicable");
    },
    isType: () => false,
    asType: () => undefined,
  } as unknown as ResourceValidationArgs;
  for (const policy of MANDATORY_RESOURCE_POLICIES) {
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validate of validations) {
      void validate?.(args, (message: string | { message?: string }) => {
        found.push({ policy: policy.name, message: typeof message === "string" ? message : (message.message ?? policy.description) });
      });
    }
  }
  return found;
}

/**
 * Settles when the resource's Outputs are known and judged: rejects (and
 * stops the site) when they break a mandatory policy. A secret's value is
 * never printed: the message then names the policy and the resource only.
 */
async function judgedOnceKnown(type: string, name: string, props: unknown): Promise<pulumi.Resource[]> {
  const { known, secret, value } = await settledInputs(props);
  if (!known) return [];
  // Assets (Helm values in a FileAsset), also those an Output carried, are judged by what they hold.
  const violations = resourceViolations(type, name, (await withAssetContents(value)) as Record<string, unknown>);
  if (violations.length === 0) return [];
  const shown = secret ? violations.map((v) => ({ policy: v.policy, message: `${name} (${type}): a value computed from a secret breaks this policy` })) : violations;
  const err = new GuardRailError(shown);
  failSiteCheck(err);
  throw err;
}

/**
 * Settles when the known inputs, with the assets' contents read, are judged:
 * at once, during preview too, whatever Outputs beside them are not known
 * yet (those are judged once known, by `judgedOnceKnown`).
 */
async function judgedContents(type: string, name: string, contents: Promise<Record<string, unknown>>): Promise<pulumi.Resource[]> {
  const violations = resourceViolations(type, name, await contents);
  if (violations.length === 0) return [];
  const err = new GuardRailError(violations);
  failSiteCheck(err);
  throw err;
}

/** Adds waits to a resource's `dependsOn`. */
function waitingOn(args: pulumi.ResourceTransformationArgs, waits: readonly Promise<pulumi.Resource[]>[]): pulumi.ResourceTransformationResult | undefined {
  if (waits.length === 0) return undefined;
  // gatherExplicitDependencies (@pulumi/pulumi 3.248.0, runtime/dependsOn.ts) awaits promises inside dependsOn
  // before the resource's inputs are serialised and sent: a promise of [] adds no dependency, a rejection stops it.
  const dependsOn = [args.opts.dependsOn ?? [], ...waits] as unknown as pulumi.Input<pulumi.Resource>[];
  return { props: args.props, opts: { ...args.opts, dependsOn } };
}

/**
 * The transformation: refuse a custom resource that breaks a mandatory
 * resource policy (at once, or, while a site is collected, with every other
 * finding of the site), judge its Outputs once known, and hold every
 * resource, components included, until the site check opens the gate.
 */
const guard: pulumi.ResourceTransformation = (args) => {
  const gate = siteCheckGate();
  if (!(args.resource instanceof pulumi.CustomResource)) return waitingOn(args, gate === undefined ? [] : [gate]);
  const props = knownInputs(args.props) as Record<string, unknown>;
  const violations = resourceViolations(args.type, args.name, props);
  const assets = hasAssets(args.props);
  // The site check judges an asset's contents too: read from the local file or text, never waiting on the engine.
  const withContents = assets ? withAssetContents(args.props).then((p) => knownInputs(p) as Record<string, unknown>) : undefined;
  const collected = collectForSiteCheck(args.type, args.name, props, violations, withContents);
  if (violations.length > 0 && !collected) {
    const err = new GuardRailError(violations);
    failSiteCheck(err);
    throw err;
  }
  const waits: Promise<pulumi.Resource[]>[] = gate === undefined ? [] : [gate];
  if (withContents !== undefined) waits.push(judgedContents(args.type, args.name, withContents));
  if (hasPendingValues(args.props)) waits.push(judgedOnceKnown(args.type, args.name, args.props));
  return waitingOn(args, waits);
};

let enabled = true;
const guarded = new WeakSet();

/** Installs the guard rails on the running stack, once. */
export function installGuardRails(): void {
  const stack = pulumi.runtime.getStackResource();
  if (!enabled || stack === undefined || guarded.has(stack)) return;
  pulumi.runtime.registerStackTransformation(guard);
  guarded.add(stack);
}

/**
 * Every factory component passes its options through this before it is
 * constructed, so the guard rails are on the stack before the component and
 * its children are created (a component's children inherit the stack's
 * transformations as they were when the component was constructed).
 */
export function withGuardRails<T>(opts: T): T {
  installGuardRails();
  return opts;
}

/** Whether the guard rails are on (the offline plan turns them off). */
export function guardRailsEnabled(): boolean {
  return enabled;
}

/**
 * Runs `f` with the guard rails off: for the offline plan, which evaluates
 * the whole policy pack itself and reports every violation instead of
 * stopping at the first.
 */
export async function withoutGuardRails<T>(f: () => Promise<T>): Promise<T> {
  const before = enabled;
  enabled = false;
  try {
    return await f();
  } finally {
    enabled = before;
  }
}

// A program that imports the guard rails inside a running stack (the CLI loads
// the program module inside the stack) gets them before it declares anything.
installGuardRails();
