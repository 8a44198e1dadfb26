/**
 * The fleet: every site planned together. Rules that no single stack can
 * check (each site's region distinct and Norwegian, names and zones unique,
 * each backup going to another site of the fleet), and `out/fleet.md`, the
 * fleet at a glance for a pull request.
 */
import { NORWEGIAN_REGIONS, isAllowedLocation } from "../catalog";
import { maxNodes, sitePower } from "../components";
import type { FactoryConfig } from "../config";
import type { FleetEndpoint } from "../fleet/endpoints";
import type { PolicyViolation } from "./policies";

/** One planned site. */
export interface FleetSite {
  readonly stack: string;
  readonly config: FactoryConfig;
  readonly violations: readonly PolicyViolation[];
}

/** A fleet rule broken, naming the site(s) and what is wrong. */
export interface FleetProblem {
  readonly rule: "region-norwegian" | "region-distinct" | "name-unique" | "zone-unique" | "backup-in-fleet" | "backup-encryption";
  readonly message: string;
}

function duplicates(sites: readonly FleetSite[], key: (s: FleetSite) => readonly string[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const s of sites) for (const k of key(s)) owners.set(k, [...(owners.get(k) ?? []), s.stack]);
  return new Map([...owners].filter(([, stacks]) => stacks.length > 1));
}

/** Every fleet rule the sites break. */
export function fleetProblems(sites: readonly FleetSite[], allowedRegions: readonly string[] = NORWEGIAN_REGIONS): FleetProblem[] {
  const out: FleetProblem[] = [];
  for (const s of sites) {
    if (!isAllowedLocation(s.config.site.region, allowedRegions)) {
      out.push({ rule: "region-norwegian", message: `${s.stack}: region '${s.config.site.region}' is not a Norwegian region` });
    }
  }
  for (const [region, stacks] of duplicates(sites, (s) => [s.config.site.region])) {
    out.push({ rule: "region-distinct", message: `region '${region}' is used by ${stacks.join(" and ")}; each site is its own region` });
  }
  for (const [name, stacks] of duplicates(sites, (s) => [s.config.site.name])) {
    out.push({ rule: "name-unique", message: `site name '${name}' is used by ${stacks.join(" and ")}` });
  }
  for (const [zone, stacks] of duplicates(sites, (s) => s.config.site.zones)) {
    out.push({ rule: "zone-unique", message: `zone '${zone}' is declared by ${stacks.join(" and ")}` });
  }
  for (const s of sites) {
    const backup = s.config.storage.backup;
    if (backup === undefined) {
      out.push({ rule: "backup-in-fleet", message: `${s.stack}: declares no backup; each site backs up to another site of the fleet` });
      continue;
    }
    const target = sites.find((t) => t.config.site.region === backup.region);
    if (target === undefined || target === s) {
      const why = target === s ? "its own region (not off-site)" : "a region no site of the fleet has";
      out.push({ rule: "backup-in-fleet", message: `${s.stack}: backs up to '${backup.region}', ${why}; back up to another site of the fleet` });
    } else if (!new URL(backup.s3Url).hostname.includes(target.config.site.name)) {
      out.push({ rule: "backup-in-fleet", message: `${s.stack}: backup endpoint ${backup.s3Url} is not the object store of ${target.stack} (${target.config.site.name})` });
    } else if (backup.serverSideEncryption !== "none" && target.config.storage.objectStore === undefined) {
      // The factory's object stores always serve SSE-S3 (Rook security.s3); an undeclared one may not, and refuses what it does not serve.
      out.push({ rule: "backup-encryption", message: `${s.stack}: backups ask ${target.stack} for serverSideEncryption ${backup.serverSideEncryption}, but ${target.stack} declares no object store (storage.objectStore) that serves SSE-S3` });
    }
  }
  return out;
}

function kw(n: number): string {
  return n.toLocaleString("en-GB", { maximumFractionDigits: 1 });
}

/** The fleet project's Stacks as planned: each site's wave and what it waits for. */
export interface ControlPlane {
  readonly stacks: readonly { readonly stack: string; readonly waitsFor: readonly string[]; readonly source: string }[];
  /** Objects the operator's schema refuses, or why the fleet project did not plan. */
  readonly problems: readonly string[];
  /** Every endpoint the control plane depends on, with its verdict (empty when the config does not parse). */
  readonly endpoints?: readonly FleetEndpoint[];
  /** Whether the fleet config itself was refused (the plan exits 2). */
  readonly configError?: boolean;
}

function endpointRows(endpoints: readonly FleetEndpoint[]): string[] {
  if (endpoints.length === 0) return [];
  return [
    "### Where the control plane lives",
    "",
    "| endpoint | host | verdict | config key |",
    "| --- | --- | --- | --- |",
    ...endpoints.map((e) => `| ${e.usedBy.replace(/^fleet: /, "")} | ${e.host === "" ? `(${e.detail ?? "none"})` : e.host} | ${e.verdict} | \`${e.key}\` |`),
    "",
  ];
}

function controlPlaneSection(plane: ControlPlane | undefined): string[] {
  if (plane === undefined) return [];
  return [
    "## Control plane (fleet project, Pulumi Kubernetes Operator)",
    "",
    "| stack | waits for | program |",
    "| --- | --- | --- |",
    ...plane.stacks.map((s) => `| ${s.stack} | ${s.waitsFor.length === 0 ? "(canary)" : s.waitsFor.join(", ")} | ${s.source} |`),
    "",
    ...endpointRows(plane.endpoints ?? []),
    ...plane.problems.map((p) => `- Problem: ${p}`),
    ...(plane.problems.length === 0 ? [] : [""]),
  ];
}

function headline(problems: readonly FleetProblem[], plane: ControlPlane | undefined): string {
  const planeProblems = plane?.problems.length ?? 0;
  const away = (plane?.endpoints ?? []).filter((e) => e.verdict !== "in-country").length;
  if (problems.length === 0 && planeProblems === 0) return "**OK:** every fleet rule holds, and the control plane is in the country.";
  const parts = [
    ...(problems.length === 0 ? [] : [`${problems.length} fleet rule(s) broken`]),
    ...(planeProblems === 0 ? [] : [`the control plane did not plan cleanly (${planeProblems} problem(s))`]),
    ...(away === 0 ? [] : [`${away} control-plane endpoint(s) not in the country`]),
  ];
  return `**Blocked:** ${parts.join("; ")}.`;
}

/** `out/fleet.md`. */
export function fleetReport(sites: readonly FleetSite[], problems: readonly FleetProblem[], plane?: ControlPlane): string {
  const rows = sites.map((s) => {
    const p = sitePower(s.config.site, s.config.gpuPools);
    const gpus = s.config.gpuPools.reduce((n, pool) => n + maxNodes(pool) * pool.gpusPerNode, 0);
    const mandatory = s.violations.filter((v) => v.enforcement === "mandatory").length;
    return `| ${s.stack} | ${s.config.site.name} | ${s.config.site.region} | ${gpus} | ${kw(p.itKw)} | ${kw(p.facilityKw)} | ${kw(p.capacityKw)} | ${kw(p.headroomKw)} | ${mandatory} |`;
  });
  const edges = sites.flatMap((s) => {
    const backup = s.config.storage.backup;
    const target = backup === undefined ? undefined : sites.find((t) => t.config.site.region === backup.region);
    return target === undefined ? [] : [`  ${s.config.site.name.replace(/-/g, "_")}["${s.config.site.name}"] -->|backup| ${target.config.site.name.replace(/-/g, "_")}["${target.config.site.name}"]`];
  });
  return [
    "# The fleet",
    "",
    headline(problems, plane),
    "",
    "| stack | site | region | GPUs | IT kW | facility kW | renewable kW | headroom kW | mandatory violations |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    "## Backups",
    "",
    "```mermaid",
    "graph LR",
    ...edges,
    "```",
    "",
    ...controlPlaneSection(plane),
    "## Fleet rules",
    "",
    ...(problems.length === 0 ? ["None broken: regions Norwegian and distinct, names and zones unique, every backup to another site of the fleet."] : problems.map((p) => `- \`${p.rule}\`: ${p.message}`)),
    "",
  ].join("\n");
}
