/**
 * The state backend a site's stack uses in production, as the Pulumi CLI
 * chooses it (`GetCurrentCloudURL`, pulumi/pulumi
 * `sdk/go/common/workspace/creds.go`): `PULUMI_BACKEND_URL` first, then the
 * project's `backend.url`, then the last `pulumi login`. A site in the fleet
 * runs under the Pulumi Kubernetes Operator, which sets `PULUMI_BACKEND_URL`
 * from the Stack's `backend` (the fleet's `fleet.backend`); any other site
 * falls back to `Pulumi.yaml`'s `backend.url` wherever nobody sets the
 * variable.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isHostInDomains, stateBackendHost } from "../catalog";
import { fleetSchema } from "../fleet/config";
import { readStackConfig } from "./stackConfig";

/** Where a stack keeps its state in production, and whether that is in the country. */
export interface StateBackend {
  /** The backend URL (`{stack}` filled in). */
  readonly url: string;
  /** The config that decides it, and why it wins. */
  readonly source: string;
  readonly verdict: "in-country" | "foreign" | "unknown";
  /** The host the state is written to; empty when none can be told. */
  readonly host: string;
  /** Why the verdict is `unknown`. */
  readonly detail?: string;
}

/** Domains a backend outside the fleet is judged by (the fleet's own default). */
const DEFAULT_DOMAINS = ["aifactory.no"];

function judge(url: string, source: string, domains: readonly string[]): StateBackend {
  const reached = stateBackendHost(url);
  if ("unknown" in reached) return { url, source, verdict: "unknown", host: "", detail: reached.unknown };
  return { url, source, verdict: isHostInDomains(reached.host, domains) ? "in-country" : "foreign", host: reached.host };
}

/** The fleet's backend for `stack`, when the fleet's stack file lists it and parses. */
function fleetBackend(stack: string, root: string): StateBackend | undefined {
  const file = path.join(root, "fleet", "Pulumi.management.yaml");
  if (!fs.existsSync(file)) return undefined;
  const text = readStackConfig(file)["sovereign-ai-factory-fleet:fleet"];
  const parsed = text === undefined ? undefined : fleetSchema.safeParse(JSON.parse(text));
  if (parsed?.success !== true || !parsed.data.sites.some((s) => s.stack === stack)) return undefined;
  const source = "`fleet.backend` (fleet/Pulumi.management.yaml): the Pulumi Kubernetes Operator sets `PULUMI_BACKEND_URL`, which the CLI takes over `Pulumi.yaml`";
  return judge(parsed.data.backend.replaceAll("{stack}", stack), source, parsed.data.allowedDomains);
}

/** The project's own `backend.url`, for a stack no fleet runs. */
function projectBackend(root: string): StateBackend {
  const doc = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { backend?: { url?: unknown } } | null;
  const url = typeof doc?.backend?.url === "string" ? doc.backend.url : "";
  const source = "`backend.url` in Pulumi.yaml (the stack is in no fleet): used wherever `PULUMI_BACKEND_URL` is not set, and a stray one wins over it";
  if (url.startsWith("file://")) return { url, source, verdict: "unknown", host: "", detail: "the disk of whoever runs pulumi: not shared, not backed up, wherever that machine is" };
  return judge(url, source, DEFAULT_DOMAINS);
}

/** The backend `stack` uses in production, from the project's and the fleet's config under `root`. */
export function productionStateBackend(stack: string, root: string): StateBackend {
  return fleetBackend(stack, root) ?? projectBackend(root);
}

/** The report's "Where state lives" section. */
export function stateBackendSection(backend: StateBackend): string[] {
  const where = backend.host === "" ? (backend.detail ?? "") : `host ${backend.host}`;
  const verdict = backend.verdict === "in-country" ? "in-country" : `**${backend.verdict}: production state must live in an in-country store**`;
  return ["## Where state lives", "", `State backend in production: \`${backend.url}\` (${where}), ${verdict}.`, `Decided by ${backend.source}.`, ""];
}
