/**
 * sovereign-supply-chain (mandatory): images, Helm charts and the operating
 * system images bare-metal hosts boot come from the in-country mirrors, not
 * from registries or download sites abroad.
 */
import { IN_COUNTRY_REGISTRY_DOMAINS, isHostInDomains, urlHost } from "./catalog";
import { stringList } from "./lib/config";
import { resourcePolicy } from "./lib/define";
import { type ResourceView, describe } from "./lib/resource";
import { formatPath, memoKeyTest, visit } from "./lib/walk";
import { Frameworks } from "./lib/compliance";

/** Config of sovereign-supply-chain. */
export interface SupplyChainConfig {
  allowedRegistryDomains: string[];
}

/** Defaults: the factory's own mirrors. */
export const SUPPLY_CHAIN_DEFAULTS: SupplyChainConfig = { allowedRegistryDomains: [...IN_COUNTRY_REGISTRY_DOMAINS] };

/**
 * The registry host of an image reference. A first path part without a dot,
 * colon or `localhost` is a Docker Hub namespace (`vllm/vllm-openai` is
 * `docker.io/vllm/vllm-openai`).
 */
export function imageRegistry(image: string): string {
  const ref = image.trim().replace(/^[a-z]+:\/\//i, "");
  const first = ref.split("/")[0] ?? "";
  const isHost = ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first.replace(/:\d+$/, "").toLowerCase() : "docker.io";
}

/** Keys whose string values are image references or image repositories. */
const isImageKey = memoKeyTest((key) => /^(image|repository)$/i.test(key));
/** Keys whose string values are chart sources. */
const isChartKey = memoKeyTest((key) => /^(repo|chart)$/i.test(key));

/**
 * A chart's `repository` with the `registry` beside it, as charts that split
 * the two render it (`{registry}/{repository}`, e.g. the Pulumi Kubernetes
 * Operator's chart at 2.9.0): the registry decides where the image comes
 * from, so `pulumi/pulumi-kubernetes-operator` under an in-country
 * `registry` is the mirror's, and under a foreign one is foreign.
 */
function withRegistry(key: string, value: string, parent: unknown): string {
  if (key.toLowerCase() !== "repository" || parent === null || typeof parent !== "object") return value;
  const registry = (parent as Record<string, unknown>)["registry"];
  return typeof registry === "string" && registry.trim() !== "" ? `${registry.trim()}/${value.trim()}` : value;
}

/** Violations of one resource. */
export function supplyChainViolations(r: ResourceView, config: SupplyChainConfig): string[] {
  const allowed = config.allowedRegistryDomains;
  const out: string[] = [];
  visit(r.props, (key, value, parent, parts) => {
    if (typeof key !== "string" || typeof value !== "string" || value.trim() === "") return;
    if (isImageKey(key)) {
      const registry = imageRegistry(withRegistry(key, value, parent));
      if (!isHostInDomains(registry, allowed)) {
        out.push(`${describe(r)}: ${formatPath(parts)} = ${JSON.stringify(value)} is pulled from ${registry}, not an in-country mirror`);
      }
    } else if ((key === "url" || key === "checksum") && parts[parts.length - 2] === "image" && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      // A host image (Metal3's `image.url` and its checksum URL): what a bare-metal GPU node boots.
      const host = urlHost(value);
      if (host === undefined || !isHostInDomains(host, allowed)) {
        out.push(`${describe(r)}: ${formatPath(parts)} = ${JSON.stringify(value)} downloads a host image from outside the in-country mirrors`);
      }
    } else if (isChartKey(key) && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      const host = urlHost(value);
      if (host === undefined || !isHostInDomains(host, allowed)) {
        out.push(`${describe(r)}: ${formatPath(parts)} = ${JSON.stringify(value)} is a chart source outside the in-country mirrors`);
      }
    }
  });
  return out;
}


/** The policy. */
export const sovereignSupplyChain = resourcePolicy({
  name: "sovereign-supply-chain",
  description: "Images, Helm charts and host images must come from the in-country mirrors.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: "Pull images and charts from the site's in-country mirrors (`mirrors.imageRegistry`, `mirrors.chartRepository`), or add a trusted in-country registry to `allowedRegistryDomains`.",
  framework: Frameworks.nsm,
  configSchema: {
    properties: {
      allowedRegistryDomains: stringList(
        "Registry and chart hosts (and their subdomains) that are in-country mirrors.",
        SUPPLY_CHAIN_DEFAULTS.allowedRegistryDomains,
      ),
    },
  },
  defaults: SUPPLY_CHAIN_DEFAULTS,
  violations: supplyChainViolations,
});
