/**
 * Where a Pulumi control plane reaches out to: the state backend a backend
 * URL names, the key service a secrets provider URL names, and the mirrors a
 * workspace's npm and plugin downloads go to. Shared by the fleet program
 * (config errors) and the pack (`in-country-fleet`, on `pulumi.com/v1`
 * Stacks), so both judge a URL the same way.
 *
 * Facts, read at these versions:
 * - Pulumi CLI v3.248.0 `pkg/backend/diy`: `s3://bucket[/prefix]?endpoint=...`;
 *   without `endpoint` the AWS SDK talks to AWS S3. `azblob://` is Azure
 *   Blob Storage, `gs://` Google Cloud Storage, `file://` a directory of the
 *   machine the CLI runs on, `https://` a Pulumi Cloud (or self-hosted
 *   service) API; no backend at all is Pulumi Cloud (`api.pulumi.com`).
 * - gocloud.dev v0.46.0 `secrets/hashivault`: `hashivault://<key>` is a Vault
 *   transit key; the Vault server comes from `VAULT_SERVER_URL` (else
 *   `VAULT_ADDR`), its token from `VAULT_SERVER_TOKEN` (else `VAULT_TOKEN`).
 *   v0.37.0 (CLI 3.205) reads only the `VAULT_SERVER_*` names.
 * - Pulumi CLI v3.205.0-v3.248.0 `sdk/go/common/workspace/plugins.go`:
 *   `PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES` is `regexp=URL[,regexp=URL]`,
 *   split on `,` and `=` (a URL holding either breaks the CLI at start); a
 *   regexp is matched against the plugin's default source
 *   (`github://api.github.com/pulumi/pulumi-<name>`); a plugin no regexp
 *   matches is downloaded from GitHub, then get.pulumi.com.
 * - npm CLI: every `npm_config_<key>` variable (any case) sets `<key>`;
 *   `registry` is where `npm install` (what `pulumi install` runs for a
 *   Node.js program) fetches packages, and lockfile URLs on
 *   `registry.npmjs.org` are rewritten to it (`replace-registry-host`
 *   defaults to `npmjs`).
 */
import { urlHost } from "./endpoints";

/** The host a URL (or undefined, for none) reaches, or a reason it reaches no judgeable host. */
export type ReachedHost = { readonly host: string } | { readonly unknown: string };

/** The variables a workspace's Vault address is read from, in order. */
export const VAULT_ADDRESS_ENV = ["VAULT_SERVER_URL", "VAULT_ADDR"] as const;
/** The variables a workspace's Vault token is read from, in order. */
export const VAULT_TOKEN_ENV = ["VAULT_SERVER_TOKEN", "VAULT_TOKEN"] as const;
/** The variable npm reads its registry from (npm matches it in any case). */
export const NPM_REGISTRY_ENV = "NPM_CONFIG_REGISTRY";
/** The variable the Pulumi CLI reads plugin download overrides from. */
export const PLUGIN_OVERRIDES_ENV = "PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES";
/** A plugin-override regexp that matches every plugin's default source. */
export const PLUGIN_CATCH_ALL = ".*";

function queryParam(url: string, name: string): string | undefined {
  const query = url.split("?")[1] ?? "";
  for (const pair of query.split("&")) {
    const [key = "", value = ""] = pair.split("=");
    if (key === name) {
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

/** The host a Pulumi state backend URL stores state on. */
export function stateBackendHost(backend: string | undefined): ReachedHost {
  const url = (backend ?? "").trim();
  if (url === "") return { host: "api.pulumi.com" };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "s3") {
    const endpoint = queryParam(url, "endpoint");
    if (endpoint === undefined) return { host: "s3.amazonaws.com" };
    const host = urlHost(endpoint.includes("://") ? endpoint : `https://${endpoint}`);
    return host === undefined ? { unknown: `endpoint ${JSON.stringify(endpoint)} has no host` } : { host };
  }
  if (scheme === "azblob") return { host: "blob.core.windows.net" };
  if (scheme === "gs") return { host: "storage.googleapis.com" };
  if (scheme === "https" || scheme === "http") {
    const host = urlHost(url);
    return host === undefined ? { unknown: "has no host" } : { host };
  }
  if (scheme === "file") return { unknown: "is a directory of the workspace pod (lost with it), not a state store" };
  return { unknown: `scheme ${JSON.stringify(scheme ?? url)} is not a state backend this catalogue knows` };
}

/**
 * The host a secrets provider reaches: for `hashivault://`, the Vault at
 * `vaultAddress`; for the cloud KMS schemes, the cloud's service.
 */
export function secretsProviderHost(provider: string | undefined, vaultAddress: string | undefined): ReachedHost {
  const value = (provider ?? "").trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === "hashivault") {
    if (vaultAddress === undefined || vaultAddress.trim() === "") return { unknown: `no Vault address (${VAULT_ADDRESS_ENV.join(" or ")}) reaches the workspace` };
    const host = urlHost(vaultAddress);
    return host === undefined ? { unknown: `Vault address ${JSON.stringify(vaultAddress)} has no host` } : { host };
  }
  if (scheme === "awskms") return { host: "kms.amazonaws.com" };
  if (scheme === "gcpkms") return { host: "cloudkms.googleapis.com" };
  if (scheme === "azurekeyvault") return { host: urlHost(value.replace(/^azurekeyvault:/i, "https:")) ?? "vault.azure.net" };
  if (value === "" || value === "default") return { unknown: "the backend's default provider (Pulumi Cloud's, or a passphrase) holds no in-country key service" };
  if (value === "passphrase") return { unknown: "a passphrase is no key service: whoever holds it decrypts every secret" };
  return { unknown: `${JSON.stringify(value)} is not a secrets provider this catalogue knows` };
}

/** One `regexp=URL` pair of a plugin-override value. */
export interface PluginOverride {
  readonly pattern: string;
  readonly url: string;
}

/** The pairs of a `PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES` value, or undefined when the CLI would refuse it. */
export function parsePluginOverrides(value: string): PluginOverride[] | undefined {
  if (value === "") return [];
  const out: PluginOverride[] = [];
  for (const pair of value.split(",")) {
    const parts = pair.split("=");
    if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return undefined;
    out.push({ pattern: parts[0] ?? "", url: parts[1] ?? "" });
  }
  return out;
}

/** The override value that sends every plugin download to `mirror`. */
export function pluginOverridesFor(mirror: string): string {
  return `${PLUGIN_CATCH_ALL}=${mirror}`;
}
