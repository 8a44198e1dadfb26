/**
 * Every endpoint the fleet's control plane depends on, with its host, what
 * uses it and whether it is in the country: the state backend, the program's
 * git server, the secrets provider and its Vault, the workspaces' npm and
 * plugin mirrors, and the image and chart mirrors the operator and the
 * workspaces come from. Hosts are judged by the pack's catalogue
 * (`policies/catalog/controlPlane.ts`), so the fleet program and the
 * `in-country-fleet` policy agree.
 */
import { type ReachedHost, isHostInDomains, secretsProviderHost, stateBackendHost, urlHost } from "../catalog";
import { gitHost } from "../policies/inCountryFleet";
import { imageRegistry } from "../policies/sovereignSupplyChain";
import type { FleetConfig } from "./config";

/** Whether an endpoint is under the allowed in-country domains. */
export type EndpointVerdict = "in-country" | "foreign" | "unknown";

/** One endpoint: its host (empty when none can be told), what uses it, its verdict, and the config key it comes from. */
export interface FleetEndpoint {
  readonly host: string;
  readonly usedBy: string;
  readonly verdict: EndpointVerdict;
  /** The config key that sets it (`fleet.backend`). */
  readonly key: string;
  /** Why the verdict is `unknown`. */
  readonly detail?: string;
}

function endpoint(key: string, usedBy: string, reached: ReachedHost, allowed: readonly string[]): FleetEndpoint {
  if ("unknown" in reached) return { host: "", usedBy, verdict: "unknown", key, detail: reached.unknown };
  return { host: reached.host, usedBy, verdict: isHostInDomains(reached.host, allowed) ? "in-country" : "foreign", key };
}

const host = (h: string | undefined, what: string): ReachedHost => (h === undefined ? { unknown: `${what} has no host` } : { host: h });

/** The fleet's endpoints (pure: the config in, the list out). */
export function fleetEndpoints(fleet: FleetConfig): FleetEndpoint[] {
  const allowed = fleet.allowedDomains;
  return [
    endpoint("fleet.backend", "fleet: state backend of every site Stack", stateBackendHost(fleet.backend), allowed),
    endpoint("fleet.git.repo", "fleet: git server the workspaces fetch the program from", host(gitHost(fleet.git.repo), "the repository URL"), allowed),
    endpoint("fleet.secretsProvider", "fleet: secrets provider of every site Stack", secretsProviderHost(fleet.secretsProvider, fleet.vault.address), allowed),
    endpoint("fleet.vault.address", "fleet: Vault the workspaces encrypt and decrypt stack secrets with", host(urlHost(fleet.vault.address), "the Vault address"), allowed),
    endpoint("fleet.mirrors.npmRegistry", "fleet: npm registry mirror of every workspace (pulumi install)", host(urlHost(fleet.mirrors.npmRegistry), "the npm registry"), allowed),
    endpoint("fleet.mirrors.pluginDownloadUrl", "fleet: provider plugin mirror of every workspace", host(urlHost(fleet.mirrors.pluginDownloadUrl), "the plugin mirror"), allowed),
    endpoint("fleet.mirrors.imageRegistry", "fleet: image mirror of the operator and its agent", { host: fleet.mirrors.imageRegistry.replace(/:\d+$/, "") }, allowed),
    endpoint("fleet.mirrors.chartRepository", "fleet: chart mirror of the operator's Helm release", host(urlHost(fleet.mirrors.chartRepository), "the chart repository"), allowed),
    endpoint("fleet.workspaceImage", "fleet: registry of the workspace image", { host: imageRegistry(fleet.workspaceImage) }, allowed),
  ];
}
