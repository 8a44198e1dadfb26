/**
 * Static pools: GPU servers racked by hand (DGX) that already run as cluster
 * nodes. The factory patches each named Node with the pool's labels and the
 * GPU taint; it does not create or delete the nodes.
 */
import type * as k8s from "@pulumi/kubernetes";
import { GPU_TAINT, Labels } from "../../catalog";
import { siteMetadata } from "../labels";
import type { Spec } from "../spec";
import { type PoolContext, nodeInfoLabels, nodeSelectionLabels } from "./labels";

/**
 * The patch for one node. Node taints are an atomic list in the API, so this
 * patch owns the node's whole taint list: the GPU taint is the only one these
 * dedicated servers should carry while in service.
 */
export function nodePatchSpec(args: PoolContext, nodeName: string): Spec<k8s.core.v1.NodePatchArgs> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: siteMetadata(args.site, nodeName, {
      component: "gpu-node",
      labels: {
        ...nodeSelectionLabels(args),
        ...nodeInfoLabels(args),
        [Labels.gpuPool]: args.pool.name,
        [Labels.zone]: args.pool.zone,
      },
    }),
    spec: { taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: GPU_TAINT.effect }] },
  };
}
