/**
 * The supply chain, checked in the config: every mirror, host image and
 * image of our own is served from a host under `mirrors.allowedDomains`, and
 * our own images are pinned by digest. The policy `sovereign-supply-chain`
 * (mandatory) judges the same in the resources; this names the config key.
 */
import { IN_COUNTRY_REGISTRY_DOMAINS, isHostInDomains, urlHost } from "../catalog";
import type { ConfigProblem } from "./problems";
import type { FactoryConfig } from "./schema";

/** Default in-country domains of the site's mirrors. */
export const DEFAULT_MIRROR_DOMAINS: readonly string[] = IN_COUNTRY_REGISTRY_DOMAINS;

/** The registry host of an image reference (`docker.io` for a bare Docker Hub name). */
export function imageHost(image: string): string {
  const first = image.split("/")[0] ?? "";
  const isHost = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? first.replace(/:\d+$/, "").toLowerCase() : "docker.io";
}

/** One place config names a host the site pulls from. */
export interface SupplySource {
  /** Key path, e.g. `mirrors.imageRegistry`. */
  readonly path: string;
  /** The host, or undefined when the value has none. */
  readonly host: string | undefined;
  /** The value as written. */
  readonly value: string;
  /** What pulls from it. */
  readonly usedBy: string;
}

/** Every host the config says images, charts and host images come from. */
export function supplySources(cfg: Partial<FactoryConfig>): SupplySource[] {
  const out: SupplySource[] = [];
  const m = cfg.mirrors;
  if (m !== undefined) {
    out.push({ path: "mirrors.imageRegistry", host: m.imageRegistry.replace(/:\d+$/, "").toLowerCase(), value: m.imageRegistry, usedBy: "every container image (GPU operator, Kueue, Kepler, vLLM)" });
    out.push({ path: "mirrors.chartRepository", host: urlHost(m.chartRepository), value: m.chartRepository, usedBy: "every Helm chart (GPU operator, Kueue, Kepler)" });
  }
  const image = cfg.cluster?.clusterApi?.hostImage;
  if (image !== undefined) {
    out.push({ path: "cluster.clusterApi.hostImage.url", host: urlHost(image.url), value: image.url, usedBy: "the host image bare-metal GPU nodes boot" });
    out.push({ path: "cluster.clusterApi.hostImage.checksum", host: urlHost(image.checksum), value: image.checksum, usedBy: "the host image's checksum" });
  }
  for (const [i, svc] of (cfg.inference ?? []).entries()) {
    if (svc.image !== undefined) out.push({ path: `inference[${i}].image`, host: imageHost(svc.image), value: svc.image, usedBy: `inference service ${svc.tenant}/${svc.name}` });
  }
  return out;
}

/** The config's allowed mirror domains. */
export function mirrorDomains(cfg: Partial<FactoryConfig>): readonly string[] {
  return cfg.mirrors?.allowedDomains ?? DEFAULT_MIRROR_DOMAINS;
}

/** A problem for each source outside the allowed in-country domains. */
export function supplyChainProblems(cfg: Partial<FactoryConfig>): ConfigProblem[] {
  const domains = mirrorDomains(cfg);
  return supplySources(cfg)
    .filter((s) => s.host === undefined || !isHostInDomains(s.host, domains))
    .map((s) => ({
      path: s.path,
      message: `${JSON.stringify(s.value)} is served from ${s.host ?? "no host"}, outside the in-country mirrors: must be a host under ${domains.join(", ")} (mirrors.allowedDomains)`,
    }));
}
