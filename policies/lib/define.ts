/**
 * Defining a policy from its pure violation function: the wiring every policy
 * shares (config over catalogue defaults, reporting each message) lives here
 * once, and each policy file says only what it checks.
 */
import type {
  PolicyComplianceFramework,
  PolicyConfigSchema,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { withDefaults } from "./config";
import { policyDocsUrl } from "./compliance";
import { withAssetText } from "./assets";
import { knownProps } from "./known";
import type { ResourceView, Violation } from "./resource";

interface PolicyBasics<C extends object> {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly severity: "low" | "medium" | "high" | "critical";
  /** What to do about a violation. */
  readonly remediationSteps: string;
  /** The framework the policy answers to, when one applies. */
  readonly framework?: PolicyComplianceFramework;
  readonly configSchema: PolicyConfigSchema;
  /** Config when none is given; the schema's defaults say the same. */
  readonly defaults: C;
}

/** The metadata @pulumi/policy carries for a policy: name, level, severity, remediation, docs, framework. */
function metadata<C extends object>(def: PolicyBasics<C>) {
  return {
    name: def.name,
    description: def.description,
    enforcementLevel: def.enforcementLevel,
    severity: def.severity,
    remediationSteps: def.remediationSteps,
    url: policyDocsUrl(def.name),
    ...(def.framework === undefined ? {} : { framework: def.framework }),
    configSchema: def.configSchema,
  };
}

/** A resource policy: messages for one resource (and the provider it is deployed with). */
export interface ResourcePolicyDefinition<C extends object> extends PolicyBasics<C> {
  readonly violations: (r: ResourceView & Pick<ResourceValidationArgs, "provider">, config: C) => string[];
}

/** A stack policy: violations across every resource of the stack. */
export interface StackPolicyDefinition<C extends object> extends PolicyBasics<C> {
  readonly violations: (resources: readonly ResourceView[], config: C) => Violation[];
}

/** A ResourceValidationPolicy from its violation function. */
export function resourcePolicy<C extends object>(def: ResourcePolicyDefinition<C>): ResourceValidationPolicy {
  return {
    ...metadata(def),
    validateResource: (args, report) => {
      const config = withDefaults(args.getConfig<Partial<C>>(), def.defaults);
      const provider = args.provider && { ...args.provider, props: knownProps(args.provider.props) };
      const judge = (props: Record<string, unknown>) => {
        for (const message of def.violations({ type: args.type, name: args.name, urn: args.urn, props, provider }, config)) report(message);
      };
      // Synchronous unless the analyzer's asset objects must be awaited (their text is a promise).
      const props = withAssetText(knownProps(args.props));
      if (props instanceof Promise) return props.then(judge);
      judge(props);
      return undefined;
    },
  };
}

/** A StackValidationPolicy from its violation function. */
export function stackPolicy<C extends object>(def: StackPolicyDefinition<C>): StackValidationPolicy {
  return {
    ...metadata(def),
    validateStack: (args, report) => {
      const config = withDefaults(args.getConfig<Partial<C>>(), def.defaults);
      const judge = (known: ResourceView[]) => {
        for (const v of def.violations(known, config)) report(v.message, v.urn);
      };
      const props = args.resources.map((r) => withAssetText(knownProps(r.props)));
      const view = (all: readonly Record<string, unknown>[]) => args.resources.map((r, i) => ({ type: r.type, name: r.name, urn: r.urn, props: all[i] ?? {} }));
      if (props.some((p) => p instanceof Promise)) {
        return Promise.all(props.map((p) => Promise.resolve(p))).then((all) => {
          judge(view(all));
        });
      }
      judge(view(props as Record<string, unknown>[]));
      return undefined;
    },
  };
}
