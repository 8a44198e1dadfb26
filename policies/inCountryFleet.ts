/**
 * in-country-fleet (mandatory): a Pulumi Kubernetes Operator `Stack`
 * (pulumi.com/v1, operator v2.9.0) keeps the control plane of a site in
 * the country. Its state backend, its program's git server, its secrets
 * provider (and the Vault behind it) and the npm and plugin mirrors its
 * workspace installs from are hosts under the allowed domains; a Stack that
 * follows a branch is allowed only when labelled as staging. It reads every
 * Stack object in a resource, so a hand-written Stack (or one in a YAML
 * bundle) is held to what the fleet program writes.
 *
 * What the operator does with the fields (v2.9.0, stack_controller.go):
 * `backend` becomes the workspace's `PULUMI_BACKEND_URL`; `envRefs` become
 * its environment (Literal values as written, Secret values by reference);
 * `workspaceTemplate` is merged over the workspace it generates.
 */
import {
  IN_COUNTRY_ENDPOINT_DOMAINS,
  Labels,
  NPM_REGISTRY_ENV,
  PLUGIN_CATCH_ALL,
  PLUGIN_OVERRIDES_ENV,
  type ReachedHost,
  VAULT_ADDRESS_ENV,
  isHostInDomains,
  parsePluginOverrides,
  secretsProviderHost,
  stateBackendHost,
  urlHost,
} from "./catalog";
import { Frameworks } from "./lib/compliance";
import { stringList } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { type ResourceView, describe, stringMap } from "./lib/resource";
import { findObjects, isRecord } from "./lib/walk";

/** Config of in-country-fleet. */
export interface InCountryFleetConfig {
  allowedDomains: string[];
}

/** Defaults: the factory's own domains. */
export const IN_COUNTRY_FLEET_DEFAULTS: InCountryFleetConfig = { allowedDomains: [...IN_COUNTRY_ENDPOINT_DOMAINS] };

type StackObject = Record<string, unknown> & { kind: "Stack"; spec: Record<string, unknown> };

const isStack = (o: Record<string, unknown>): o is StackObject =>
  o["kind"] === "Stack" && typeof o["apiVersion"] === "string" && o["apiVersion"].startsWith("pulumi.com/") && isRecord(o["spec"]);

/** One value a variable takes in the workspace: a literal, or undefined when it comes from a Secret or ConfigMap. */
type EnvValue = string | undefined;

function addEnvList(out: Map<string, EnvValue[]>, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const e of list) {
    if (!isRecord(e) || typeof e["name"] !== "string") continue;
    const name = e["name"].toUpperCase();
    out.set(name, [...(out.get(name) ?? []), typeof e["value"] === "string" ? e["value"] : undefined]);
  }
}

/** Every value each variable takes in the Stack's workspace, by upper-cased name. */
export function workspaceEnv(spec: Record<string, unknown>): Map<string, EnvValue[]> {
  const out = new Map<string, EnvValue[]>();
  const refs = isRecord(spec["envRefs"]) ? spec["envRefs"] : {};
  for (const [name, ref] of Object.entries(refs)) {
    const literal = isRecord(ref) && ref["type"] === "Literal" && isRecord(ref["literal"]) ? ref["literal"]["value"] : undefined;
    out.set(name.toUpperCase(), [...(out.get(name.toUpperCase()) ?? []), typeof literal === "string" ? literal : undefined]);
  }
  const template = isRecord(spec["workspaceTemplate"]) && isRecord(spec["workspaceTemplate"]["spec"]) ? spec["workspaceTemplate"]["spec"] : {};
  addEnvList(out, template["env"]);
  const pod = isRecord(template["podTemplate"]) && isRecord(template["podTemplate"]["spec"]) ? template["podTemplate"]["spec"] : {};
  const containers = Array.isArray(pod["containers"]) ? pod["containers"] : [];
  for (const c of containers) if (isRecord(c) && c["name"] === "pulumi") addEnvList(out, c["env"]);
  return out;
}

function judged(reached: ReachedHost, allowed: readonly string[]): string | undefined {
  if ("unknown" in reached) return reached.unknown;
  return isHostInDomains(reached.host, allowed) ? undefined : `reaches ${reached.host}, outside the allowed in-country domains (${allowed.join(", ")})`;
}

/** The host of a git URL: https, ssh:// or scp-style `user@host:path`. */
export function gitHost(repo: string): string | undefined {
  const scp = /^[^@/\s]+@([a-z0-9.-]+):(?!\/\/)/i.exec(repo.trim());
  return scp?.[1]?.toLowerCase() ?? urlHost(repo);
}

function sourceProblems(spec: Record<string, unknown>, allowed: readonly string[], staging: boolean): string[] {
  const out: string[] = [];
  const repo = spec["projectRepo"];
  if (typeof repo === "string") {
    const host = gitHost(repo);
    const why = judged(host === undefined ? { unknown: "has no host" } : { host }, allowed);
    if (why !== undefined) out.push(`spec.projectRepo = ${JSON.stringify(repo)} ${why}`);
    if (typeof spec["commit"] !== "string" && !staging) {
      out.push(`follows ${typeof spec["branch"] === "string" ? `branch ${JSON.stringify(spec["branch"])}` : "no pinned commit"}; a production Stack pins spec.commit (label it ${Labels.stage}=staging to follow a branch)`);
    }
  } else if (spec["fluxSource"] !== undefined) {
    out.push("spec.fluxSource: the program comes from a Flux source whose host this policy cannot judge; use spec.projectRepo on the in-country git server or a Program (spec.programRef)");
  }
  return out;
}

function workspaceProblems(env: Map<string, EnvValue[]>, allowed: readonly string[]): string[] {
  const out: string[] = [];
  const npm = env.get(NPM_REGISTRY_ENV) ?? [];
  if (npm.length === 0) out.push(`the workspace sets no ${NPM_REGISTRY_ENV}: npm installs the program's packages from registry.npmjs.org`);
  for (const value of npm) {
    const host = value === undefined ? undefined : urlHost(value);
    const why = judged(host === undefined ? { unknown: "is not a literal URL this policy can judge" } : { host }, allowed);
    if (why !== undefined) out.push(`${NPM_REGISTRY_ENV} = ${JSON.stringify(value ?? "(from a Secret or ConfigMap)")} ${why}`);
  }
  const plugins = env.get(PLUGIN_OVERRIDES_ENV) ?? [];
  if (plugins.length === 0) out.push(`the workspace sets no ${PLUGIN_OVERRIDES_ENV}: provider plugins download from github.com and get.pulumi.com`);
  for (const value of plugins) {
    const pairs = value === undefined ? undefined : parsePluginOverrides(value);
    const shown = JSON.stringify(value ?? "(from a Secret or ConfigMap)");
    if (pairs === undefined) {
      out.push(`${PLUGIN_OVERRIDES_ENV} = ${shown} is not a literal list of regexp=URL pairs the CLI accepts`);
      continue;
    }
    if (!pairs.some((p) => p.pattern === PLUGIN_CATCH_ALL)) out.push(`${PLUGIN_OVERRIDES_ENV} = ${shown} has no "${PLUGIN_CATCH_ALL}" pair: plugins it does not match download from github.com`);
    for (const p of pairs) {
      const host = urlHost(p.url);
      const why = judged(host === undefined ? { unknown: "has no host" } : { host }, allowed);
      if (why !== undefined) out.push(`${PLUGIN_OVERRIDES_ENV} sends ${JSON.stringify(p.pattern)} to ${JSON.stringify(p.url)}, which ${why}`);
    }
  }
  return out;
}

/**
 * The Stack's workspace identity: `workspaceTemplate.spec.serviceAccountName`
 * over `spec.serviceAccountName`, else the Workspace default `default`
 * (operator v2.9.0 workspace_types.go, stack_controller.go).
 */
function accountProblems(spec: Record<string, unknown>): string[] {
  const template = isRecord(spec["workspaceTemplate"]) && isRecord(spec["workspaceTemplate"]["spec"]) ? spec["workspaceTemplate"]["spec"] : {};
  const named = [template["serviceAccountName"], spec["serviceAccountName"]].find((n): n is string => typeof n === "string" && n !== "");
  if (named !== undefined && named !== "default") return [];
  return ["the workspace runs as the namespace's `default` ServiceAccount, shared by every Stack there (and without system:auth-delegator the agent refuses the operator); name the site's own ServiceAccount"];
}

/** What is wrong with one Stack object. */
export function stackProblems(stack: StackObject, allowed: readonly string[]): string[] {
  const spec = stack.spec;
  const labels = isRecord(stack["metadata"]) ? stringMap(stack["metadata"]["labels"]) : {};
  const env = workspaceEnv(spec);
  const out: string[] = [];
  const backend = typeof spec["backend"] === "string" ? spec["backend"] : undefined;
  const backendWhy = judged(stateBackendHost(backend), allowed);
  if (backendWhy !== undefined) out.push(`spec.backend = ${JSON.stringify(backend ?? "(none: Pulumi Cloud)")} ${backendWhy}`);
  const provider = typeof spec["secretsProvider"] === "string" ? spec["secretsProvider"] : undefined;
  // A Vault address from a Secret or ConfigMap cannot be judged here: it counts as no host.
  const addresses = VAULT_ADDRESS_ENV.flatMap((name) => env.get(name) ?? []).map((a) => a ?? "(from a Secret or ConfigMap)");
  const whys = new Set((addresses.length === 0 ? [undefined] : addresses).map((a) => judged(secretsProviderHost(provider, a), allowed)));
  for (const why of whys) if (why !== undefined) out.push(`spec.secretsProvider = ${JSON.stringify(provider ?? "(none)")} ${why}`);
  out.push(...sourceProblems(spec, allowed, labels[Labels.stage] === "staging"));
  out.push(...workspaceProblems(env, allowed));
  out.push(...accountProblems(spec));
  return out;
}

/** Violations of one resource: every Stack object in it. */
export function inCountryFleetViolations(r: ResourceView, config: InCountryFleetConfig): string[] {
  return findObjects(r.props, isStack).flatMap(({ path, obj }) => {
    const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
    const name = typeof meta["name"] === "string" ? meta["name"] : "(unnamed)";
    const where = path === "" ? `Stack ${name}` : `${path}: Stack ${name}`;
    return stackProblems(obj, config.allowedDomains).map((p) => `${describe(r)}: ${where}: ${p}`);
  });
}

/** The policy. */
export const inCountryFleet = resourcePolicy({
  name: "in-country-fleet",
  description: "A Pulumi Kubernetes Operator Stack keeps its state, program, secrets and workspace downloads in the country, and production Stacks pin a commit.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Point the Stack's backend, projectRepo, secrets provider (hashivault:// with VAULT_SERVER_URL on an in-country Vault), NPM_CONFIG_REGISTRY and PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES (a \".*\" pair) at hosts under `allowedDomains`, and pin `spec.commit` (or label the Stack aifactory.no/stage=staging).",
  framework: Frameworks.nsm,
  configSchema: {
    properties: {
      allowedDomains: stringList("Domains (and their subdomains) the fleet's control plane may reach.", IN_COUNTRY_FLEET_DEFAULTS.allowedDomains),
    },
  },
  defaults: IN_COUNTRY_FLEET_DEFAULTS,
  violations: inCountryFleetViolations,
});
