/**
 * The fleet config's own rules, beyond its schema: every endpoint of the
 * control plane in the country, each site's state and secrets key its own,
 * production sites on a pinned commit, and a workspace CLI that reads the
 * backend URL as written. Each problem names the config key.
 */
import type { ConfigProblem } from "../config";
import { STACK_PLACEHOLDER, type FleetConfig } from "./config";
import { fleetEndpoints } from "./endpoints";

/** A Pulumi CLI version `[major, minor, patch]` from a workspace image tag (`3.248.0-nonroot`), if it has one. */
export function cliVersion(image: string): [number, number, number] | undefined {
  const tag = /:(\d+)\.(\d+)\.(\d+)(?:-[\w.-]+)?(?:@sha256:[a-f0-9]{64})?$/.exec(image);
  return tag === null ? undefined : [Number(tag[1]), Number(tag[2]), Number(tag[3])];
}

type Version = readonly [number, number, number];
const before = ([a, b, c]: Version, [x, y, z]: Version) => a < x || (a === x && (b < y || (b === y && c < z)));

/**
 * Whether the workspace's CLI reads the S3 backend URL. Pulumi CLI before
 * 3.245.0 (gocloud.dev v0.37.0) refuses `s3ForcePathStyle` next to
 * `awssdk=v2` (pulumi#18645); 3.245.0 (gocloud.dev v0.46.0, AWS SDK v2 only)
 * broke v1-era S3 URLs (pulumi#23478) until 3.246.0 translated them
 * (pulumi#23525). Read in pulumi v3.205.0 and v3.248.0 `pkg/go.mod` and
 * `pkg/backend/diy/backend.go`.
 */
export function cliBackendProblem(image: string, backend: string): string | undefined {
  const version = cliVersion(image);
  if (version === undefined || !backend.startsWith("s3://")) return undefined;
  const shown = version.join(".");
  if (version.join(".") === "3.245.0") return `CLI ${shown} cannot open S3 backends written for the AWS SDK v1 (pulumi#23478); use 3.246.0 or later`;
  if (before(version, [3, 245, 0]) && /[?&]awssdk=v2\b/.test(backend) && /[?&]s3ForcePathStyle=/.test(backend)) {
    return `CLI ${shown} refuses s3ForcePathStyle with awssdk=v2 (pulumi#18645); use 3.246.0 or later, or drop awssdk=v2`;
  }
  return undefined;
}

/** Every problem of a parsed fleet config, each at its key. */
export function fleetConfigProblems(fleet: FleetConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const e of fleetEndpoints(fleet)) {
    if (e.verdict === "in-country") continue;
    const why = e.verdict === "foreign" ? `reaches ${e.host}, outside the allowed in-country domains` : (e.detail ?? "reaches no host that can be judged");
    out.push({ path: e.key, message: `${why}; allowed: hosts under ${fleet.allowedDomains.join(", ")} (fleet.allowedDomains)` });
  }
  for (const key of ["backend", "secretsProvider"] as const) {
    if (!fleet[key].includes(STACK_PLACEHOLDER)) {
      out.push({ path: `fleet.${key}`, message: `must hold ${STACK_PLACEHOLDER} (each site's ${key === "backend" ? "state under its own prefix" : "own Vault transit key"}), so one site's credentials cannot open another's` });
    }
  }
  const production = fleet.sites.filter((s) => s.stage === "production");
  if (fleet.git.commit === undefined && production.length > 0) {
    const waves = production.map((s) => `${s.stack} (wave ${s.wave})`).join(", ");
    out.push({ path: "fleet.git.commit", message: `production waves need a pinned commit: ${waves} would follow branch '${fleet.git.branch ?? ""}'` });
  }
  const cli = cliBackendProblem(fleet.workspaceImage, fleet.backend);
  if (cli !== undefined) out.push({ path: "fleet.workspaceImage", message: cli });
  return out;
}
