/**
 * The fleet program: validates the fleet config and the fleet rules over the
 * sites' own stack files, then declares the Pulumi Kubernetes Operator and a
 * Stack per site in the management cluster.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, ConfigError, type FactoryConfig, configErrorMap, parseFactoryConfig, problemsFromZod, secretConfigProblems } from "../config";
import { fleetProblems } from "../plan/fleet";
import { projectRoot } from "../plan/projectRoot";
import { readStackConfig } from "../plan/stackConfig";
import { type FleetConfig, fleetSchema } from "./config";
import { type FleetEndpoint, fleetEndpoints } from "./endpoints";
import { fleetConfigProblems } from "./rules";
import { authDelegatorBindingSpec, operatorReleaseArgs, serviceAccountSpec, siteStackSpec } from "./stacks";

/** The fleet project's config namespace. */
export const FLEET_NAMESPACE = "sovereign-ai-factory-fleet";

/** A site's validated config, read from its stack file. */
function siteConfig(stack: string): FactoryConfig {
  const file = path.join(projectRoot(), `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new ConfigError([{ path: "fleet.sites", message: `'${stack}' has no stack file Pulumi.${stack}.yaml` }]);
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(readStackConfig(file))) {
    if (key.startsWith(`${CONFIG_NAMESPACE}:`)) raw[key.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(value) as unknown;
  }
  const result = parseFactoryConfig(raw);
  if (!result.ok) throw new ConfigError(result.problems.map((p) => ({ path: `${stack}: ${p.path}`, message: p.message })));
  return result.config;
}

/**
 * The fleet's endpoints from a stack file's engine config (`fleet/Pulumi.management.yaml`),
 * or undefined when the config does not parse (the program then says why).
 */
export function endpointsOfConfig(engine: Readonly<Record<string, string>>): FleetEndpoint[] | undefined {
  const text = engine[`${FLEET_NAMESPACE}:fleet`];
  if (text === undefined) return undefined;
  const result = fleetSchema.safeParse(JSON.parse(text));
  return result.success ? fleetEndpoints(result.data) : undefined;
}

/** Reads and validates the fleet config, and holds the sites to the fleet rules. */
export function loadFleet(): FleetConfig {
  // Credentials are Secrets the config names; a value set with --secret would be read as plain text.
  const secret = secretConfigProblems(FLEET_NAMESPACE, ["fleet"], "fleet.stateCredentialsSecret");
  if (secret.length > 0) throw new ConfigError(secret);
  const text = new pulumi.Config(FLEET_NAMESPACE).get("fleet");
  const raw: unknown = text === undefined ? undefined : JSON.parse(text);
  const result = fleetSchema.safeParse(raw, { error: configErrorMap });
  if (!result.success) throw new ConfigError(problemsFromZod("fleet", result.error));
  const fleet = result.data;
  const stacks = fleet.sites.map((s) => s.stack);
  if (new Set(stacks).size !== stacks.length) throw new ConfigError([{ path: "fleet.sites", message: "lists a stack twice" }]);
  if (!fleet.sites.some((s) => s.wave === 0)) throw new ConfigError([{ path: "fleet.sites", message: "needs a canary: a site in wave 0" }]);
  const rules = fleetConfigProblems(fleet);
  if (rules.length > 0) throw new ConfigError(rules);
  const problems = fleetProblems(fleet.sites.map((s) => ({ stack: s.stack, config: siteConfig(s.stack), violations: [] })));
  if (problems.length > 0) {
    throw new pulumi.RunError(`The fleet breaks its rules:\n${problems.map((p) => `  - [${p.rule}] ${p.message}`).join("\n")}`);
  }
  return fleet;
}

/** Declares the management cluster's operator and the sites' Stacks. */
export function main() {
  const fleet = loadFleet();
  const provider = new k8s.Provider("management", fleet.kubeContext === undefined ? {} : { context: fleet.kubeContext });
  const release = new k8s.helm.v3.Release("operator", operatorReleaseArgs(fleet), { provider });
  for (const site of fleet.sites) {
    // Each site's workspace runs as its own ServiceAccount, allowed the agent's token and access reviews.
    const account = new k8s.core.v1.ServiceAccount(`workspace-${site.stack}`, serviceAccountSpec(fleet, site.stack), { provider, dependsOn: [release] });
    const binding = new k8s.rbac.v1.ClusterRoleBinding(`workspace-${site.stack}-auth-delegator`, authDelegatorBindingSpec(fleet, site.stack), { provider, dependsOn: [account] });
    new k8s.apiextensions.CustomResource(`stack-${site.stack}`, siteStackSpec(fleet, site.stack), { provider, dependsOn: [release, binding] });
  }
  return { sites: fleet.sites.map((s) => ({ stack: s.stack, wave: s.wave })) };
}
