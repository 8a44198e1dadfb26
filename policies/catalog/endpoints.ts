/**
 * In-country endpoints: the object stores data and backups may go to. Only
 * hosts under these domains are allowed by default; an operator adds others
 * (another Norwegian provider) through the policy pack's config.
 */

/** Domains whose hosts are the factory's own in-country object stores. */
export const IN_COUNTRY_ENDPOINT_DOMAINS: readonly string[] = ["aifactory.no"];

/** Registries images may be pulled from by default: the sites' own mirrors. */
export const IN_COUNTRY_REGISTRY_DOMAINS: readonly string[] = ["aifactory.no"];

/** The host of an `https://` (or `s3://`-style) URL, lower-cased; undefined if it has none. */
export function urlHost(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s]+)/i.exec(url.trim());
  if (!match?.[1]) return undefined;
  const authority = match[1].replace(/^[^@]*@/, "");
  const host = authority.replace(/:\d+$/, "").toLowerCase();
  return /^[a-z0-9.-]+$/.test(host) ? host : undefined;
}

/** Whether `host` is one of `domains` or a subdomain of one (strict, ASCII only). */
export function isHostInDomains(host: string, domains: Iterable<string>): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, "");
  if (!/^[a-z0-9.-]+$/.test(h)) return false;
  for (const domain of domains) {
    const d = domain.trim().toLowerCase();
    if (h === d || h.endsWith(`.${d}`)) return true;
  }
  return false;
}

/** Whether a URL is served over https from an allowed in-country host. */
export function isInCountryHttpsEndpoint(url: string, domains: Iterable<string> = IN_COUNTRY_ENDPOINT_DOMAINS): boolean {
  if (!/^https:\/\//i.test(url.trim())) return false;
  const host = urlHost(url);
  return host !== undefined && isHostInDomains(host, domains);
}
