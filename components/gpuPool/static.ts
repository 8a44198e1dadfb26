/**
 * Static pools: GPU servers racked by hand (DGX) that already run as cluster
 * nodes. The factory patches each named Node with the pool's labels; it does
 * not create or delete the nodes.
 */
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import { Labels, NodeLabels } from "../../catalog";
import { siteMetadata } from "../labels";
import type { Spec } from "../spec";
import { type PoolContext, gpuOperatorNodeLabels, nodeInfoLabels, nodeSelectionLabels } from "./labels";

/** The prefix of every field manager of the factory's node patches. */
export const NODE_PATCH_FIELD_MANAGER = "aifactory-gpu-pool";

/** Kubernetes refuses a field manager longer than this (apimachinery `ValidateFieldManager`). */
const MAX_FIELD_MANAGER_LENGTH = 128;

/**
 * The server-side apply field manager of one node patch: one per patch
 * resource (pool and node), never shared. pulumi-kubernetes deletes a Patch
 * by applying an empty object under its field manager (`ssa.Relinquish`), so
 * with a shared manager, moving a node to another pool (the new patch is
 * created, then the old one deleted) or renaming a pool would drop every
 * label the new patch had just set, `nvidia.com/gpu.deploy.driver=false`
 * included. A fixed name, not Pulumi's random default, so `kubectl get node
 * -o yaml --show-managed-fields` shows which pool owns which labels. Names too
 * long for Kubernetes keep their start and end a short hash of the whole.
 */
export function nodePatchFieldManager(poolName: string, nodeName: string): string {
  const full = `${NODE_PATCH_FIELD_MANAGER}-${poolName}-${nodeName}`;
  if (full.length <= MAX_FIELD_MANAGER_LENGTH) return full;
  const digest = createHash("sha256").update(full).digest("hex").slice(0, 10);
  return `${full.slice(0, MAX_FIELD_MANAGER_LENGTH - digest.length - 1)}-${digest}`;
}

/** Annotations pulumi-kubernetes reads on a Patch resource (its server-side apply options). */
export const PatchAnnotations = {
  fieldManager: "pulumi.com/patchFieldManager",
  force: "pulumi.com/patchForce",
} as const;

/** Every label the factory owns on a static pool's node. */
export function staticNodeLabels(args: PoolContext, nodeName?: string): Record<string, string> {
  const place = nodeName === undefined ? undefined : args.pool.nodeTopology?.[nodeName];
  return {
    ...(place?.block === undefined ? {} : { [NodeLabels.block]: place.block }),
    ...(place?.rack === undefined ? {} : { [NodeLabels.rack]: place.rack }),
    ...nodeSelectionLabels(args),
    ...nodeInfoLabels(args),
    ...gpuOperatorNodeLabels(args.pool),
    [Labels.gpuPool]: args.pool.name,
    [Labels.zone]: args.pool.zone,
  };
}

/**
 * The patch for one node: labels only. Labels are a map, so server-side apply
 * gives the factory ownership of exactly its own keys and leaves every other
 * manager's labels alone; forcing takes over a key another manager wrote
 * first (the GPU operator writes its deploy labels on every GPU node).
 *
 * No taints: `spec.taints` is an atomic list, so a patch that sets it owns
 * the whole list. A cordon, or any taint another controller adds, would make
 * the next `pulumi up` fail on a conflict, or a forced apply strip it. A
 * static server gets the GPU taint where it joins the cluster
 * (`--register-with-taints`, see the README), like Cluster API pools do.
 */
export function nodePatchSpec(args: PoolContext, nodeName: string): Spec<k8s.core.v1.NodePatchArgs> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: siteMetadata(args.site, nodeName, {
      component: "gpu-node",
      labels: staticNodeLabels(args, nodeName),
      annotations: { [PatchAnnotations.fieldManager]: nodePatchFieldManager(args.pool.name, nodeName), [PatchAnnotations.force]: "true" },
    }),
  };
}
