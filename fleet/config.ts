/**
 * The fleet's config (`sovereign-ai-factory-fleet:fleet`), validated with
 * zod before anything is declared, like a site's.
 */
import { z } from "zod";
import { DNS_LABEL } from "../config";

const dnsLabel = z.string().regex(DNS_LABEL, { error: "must be a DNS label" }).max(63);

/** One site of the fleet: its stack (a `Pulumi.<stack>.yaml` of the project) and its rollout wave. */
const siteSchema = z.strictObject({
  /** The operator names its workspace after the Stack: at most 42 characters. */
  stack: dnsLabel.max(42, { error: "must be at most 42 characters (the operator's limit for a Stack's name)" }),
  /** Sites of wave n+1 wait until every site of wave n has succeeded; wave 0 is the canary. */
  wave: z.number().int().nonnegative(),
  /** A staging site may follow a branch; a production site (the default) runs a pinned commit. */
  stage: z.enum(["production", "staging"]).default("production"),
});

const httpsUrl = (what: string) => z.string().regex(/^https:\/\/[^\s,=]+$/, { error: `must be an https:// URL of the in-country ${what} (no ',' or '=')` });
const domain = z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, { error: "must be a DNS domain such as aifactory.no" });

/** The placeholder a site's own stack name replaces in `backend` and `secretsProvider`. */
export const STACK_PLACEHOLDER = "{stack}";

/** The fleet: operator, program source, state backend, secrets and the sites. */
export const fleetSchema = z
  .strictObject({
    kubeContext: z.string().min(1).optional(),
    /** Domains the fleet's control plane may reach (state, git, Vault, mirrors); their subdomains count. */
    allowedDomains: z.array(domain).min(1).default(["aifactory.no"]),
    mirrors: z.strictObject({
      imageRegistry: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, { error: "must be a registry host" }),
      chartRepository: z.string().regex(/^(https|oci):\/\/\S+$/, { error: "must be an https:// or oci:// URL" }),
      /** The npm registry mirror every workspace installs the program's packages from (`NPM_CONFIG_REGISTRY`). */
      npmRegistry: httpsUrl("npm registry mirror"),
      /** Where every workspace downloads provider plugins (`PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES=.*=<url>`). */
      pluginDownloadUrl: httpsUrl("plugin mirror"),
    }),
    /** The Vault behind `hashivault://` secrets providers; each site's token is the Secret `<tokenSecret>-<stack>`. */
    vault: z.strictObject({
      address: httpsUrl("Vault"),
      tokenSecret: dnsLabel.max(20).default("vault-token"),
    }),
    operator: z
      .strictObject({
        chartVersion: z.string().regex(/^v?\d+\.\d+\.\d+$/, { error: "must be a pinned chart version such as 2.9.0" }).default("2.9.0"),
        namespace: dnsLabel.default("pulumi-kubernetes-operator"),
      })
      .default({ chartVersion: "2.9.0", namespace: "pulumi-kubernetes-operator" }),
    git: z
      .strictObject({
        repo: z.string().regex(/^https:\/\/\S+$/, { error: "must be an https:// URL of the in-country git server" }),
        commit: z.string().regex(/^[0-9a-f]{40}$/, { error: "must be a full commit hash" }).optional(),
        branch: z.string().min(1).optional(),
        /** Each site's git token is the Secret `<authSecret>-<stack>` (key `accessToken`). */
        authSecret: dnsLabel.max(20).optional(),
      })
      .refine((g) => (g.commit === undefined) !== (g.branch === undefined), { error: "must pin exactly one of commit or branch" }),
    backend: z.string().regex(/^s3:\/\/\S+$/, { error: "must be an s3:// state backend URL" }),
    /** Each site's state keys are the Secret `<stateCredentialsSecret>-<stack>`. */
    stateCredentialsSecret: dnsLabel.max(20),
    secretsProvider: z.string().min(1),
    workspaceImage: z.string().regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/, { error: "must be a pinned image" }),
    resyncMinutes: z.number().int().min(1).default(15),
    sites: z.array(siteSchema).min(1),
  });

/** The validated fleet config. */
export type FleetConfig = z.output<typeof fleetSchema>;
