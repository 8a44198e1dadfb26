/**
 * Power estimates for GPU pools and the site: maximum IT draw from the GPU
 * catalogue, facility draw at the site's PUE, and headroom against the
 * contracted renewable supply. Pure arithmetic, so figures are checked by hand.
 */
import { gpuModel, nodeWatts } from "../../catalog";
import type { GpuPoolConfig, SiteConfig } from "../../config";

/** The power estimate of one pool at its largest size. */
export interface PoolPower {
  readonly pool: string;
  readonly gpuModel: string;
  /** Nodes at the pool's largest size. */
  readonly maxNodes: number;
  /** Maximum draw of one node, in watts. */
  readonly nodeWatts: number;
  /** Maximum IT draw of the pool, in watts. */
  readonly itWatts: number;
}

/** The site's power position. */
export interface SitePower {
  /** IT load of all pools at their largest, in kW. */
  readonly itKw: number;
  /** IT load times PUE: what the site draws from the grid, in kW. */
  readonly facilityKw: number;
  /** Contracted renewable capacity, in kW. */
  readonly capacityKw: number;
  /** Capacity left at full load; negative when the pools would exceed it. */
  readonly headroomKw: number;
  readonly pools: readonly PoolPower[];
}

/** Rounds to whole watts, expressed in kW, so float noise never shows. */
function kw(watts: number): number {
  return Math.round(watts) / 1000;
}

/** Nodes a pool can grow to: a count, the top of its range, or its named nodes. */
export function maxNodes(pool: GpuPoolConfig): number {
  if (pool.provisioning === "static") return pool.nodeNames?.length ?? 0;
  const nodes = pool.nodes ?? 0;
  return typeof nodes === "number" ? nodes : nodes.max;
}

/** A pool's estimated maximum IT draw. */
export function poolPower(pool: GpuPoolConfig): PoolPower {
  const model = gpuModel(pool.gpuModel);
  if (!model) throw new Error(`GPU model '${pool.gpuModel}' is not in the catalogue`);
  const perNode = nodeWatts(model, pool.gpusPerNode);
  const nodes = maxNodes(pool);
  return { pool: pool.name, gpuModel: model.id, maxNodes: nodes, nodeWatts: perNode, itWatts: nodes * perNode };
}

/** The site's IT and facility draw against its contracted capacity. */
export function sitePower(site: SiteConfig, pools: readonly GpuPoolConfig[]): SitePower {
  const perPool = pools.map(poolPower);
  const itWatts = perPool.reduce((sum, p) => sum + p.itWatts, 0);
  const facilityWatts = itWatts * site.power.pue;
  return {
    itKw: kw(itWatts),
    facilityKw: kw(facilityWatts),
    capacityKw: site.power.capacityKw,
    headroomKw: kw(site.power.capacityKw * 1000 - facilityWatts),
    pools: perPool,
  };
}
