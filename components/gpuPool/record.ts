/**
 * The pool record: one ConfigMap per pool in the system namespace stating the
 * pool's model, size and estimated power draw, so policies can sum the site's
 * load without knowing how each pool is provisioned.
 */
import type * as k8s from "@pulumi/kubernetes";
import { Annotations, Labels } from "../../catalog";
import { siteMetadata } from "../labels";
import type { Spec } from "../spec";
import type { PoolContext } from "./labels";
import { maxNodes, poolPower } from "./power";

/** Name of a pool's record ConfigMap. */
export function poolRecordName(poolName: string): string {
  return `gpu-pool-${poolName}`;
}

/** The pool record ConfigMap, with the IT power estimate as an annotation. */
export function poolRecordSpec(args: PoolContext, systemNamespace: string): Spec<k8s.types.input.core.v1.ConfigMap> {
  const { pool } = args;
  const power = poolPower(pool);
  const nodes = pool.nodes;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: siteMetadata(args.site, poolRecordName(pool.name), {
      namespace: systemNamespace,
      component: "gpu-pool",
      labels: {
        [Labels.poolDeclaration]: "true",
        [Labels.gpuPool]: pool.name,
        [Labels.gpuModel]: pool.gpuModel,
        [Labels.zone]: pool.zone,
      },
      annotations: { [Annotations.powerEstimateWatts]: String(power.itWatts) },
    }),
    data: {
      pool: pool.name,
      gpuModel: pool.gpuModel,
      gpusPerNode: String(pool.gpusPerNode),
      provisioning: pool.provisioning,
      zone: pool.zone,
      minNodes: String(typeof nodes === "object" ? nodes.min : maxNodes(pool)),
      maxNodes: String(power.maxNodes),
      nodeWatts: String(power.nodeWatts),
      itWatts: String(power.itWatts),
      mig: pool.mig ?? "all-disabled",
    },
  };
}
