/**
 * GPU energy counted once per physical GPU and attributed to tenants without
 * over-counting, as PromQL over the DCGM exporter's series (catalog
 * `dcgm.ts`, exporter 4.4.1-4.6.0):
 *
 * - every device-level field is taken once per GPU UUID (`max by (UUID)`):
 *   that folds the idle series and the held series of one GPU, and the seven
 *   copies a MIG GPU's instances carry, into one;
 * - each minute, the GPU's energy of that minute goes to whoever holds it at
 *   that minute: the whole GPU to the pod holding it, a MIG GPU's energy split
 *   among its instances by compute slices (an instance's `Ng` of the layout's
 *   slices), each instance's share to its holder; what no tenant holds is idle;
 * - hours and days are sums of those minutes, so tenants plus idle is the pool.
 */
import { DcgmLabels, DcgmMetrics, MIG_CONFIG_DISABLED, MIG_SLICES, MILLIJOULES_PER_KWH } from "../../catalog";
import type { GpuPoolConfig, TenantConfig } from "../../config";

/** The label the ServiceMonitor adds to every GPU series: the node's pool. */
export const POOL_LABEL = "gpu_pool";

/** The rule group's evaluation interval: the per-minute series below assume it. */
export const ATTRIBUTION_INTERVAL = "1m";

/**
 * Windows that hold exactly 60 (1440) samples of a series recorded every
 * minute, whether Prometheus closes the range at its start (2.x) or not (3.x).
 */
export const HOUR_WINDOW = "59m30s";
const HOUR = HOUR_WINDOW;
const DAY = "23h59m30s";

/** Names of the recorded attribution series. */
export const Attribution = {
  gpuPower: "aifactory:gpu_power_watts:by_gpu",
  gpuEnergyCounter: "aifactory:gpu_energy_mj:by_gpu",
  holderShare: "aifactory:gpu_holder_share:by_pod",
  gpuEnergyMinute: "aifactory:gpu_energy_kwh:increase1m_by_gpu",
  podEnergyMinute: "aifactory:gpu_energy_kwh:increase1m_by_pod",
  podEnergyHour: "aifactory:gpu_energy_kwh:increase1h_by_pod",
  poolTenantEnergyMinute: "aifactory:gpu_energy_kwh:increase1m_by_pool_tenant",
  poolTenantEnergyDay: "aifactory:gpu_energy_kwh:increase1d_by_pool_tenant",
  tenantPower: "aifactory:gpu_power_watts:sum_by_tenant",
  tenantEnergyHour: "aifactory:gpu_energy_kwh:increase1h_by_tenant",
  tenantEnergyDay: "aifactory:gpu_energy_kwh:increase1d_by_tenant",
  poolEnergyHour: "aifactory:gpu_energy_kwh:increase1h_by_pool",
  poolEnergyDay: "aifactory:gpu_energy_kwh:increase1d_by_pool",
  idleEnergyHour: "aifactory:gpu_energy_kwh:increase1h_idle_by_pool",
  idleEnergyDay: "aifactory:gpu_energy_kwh:increase1d_idle_by_pool",
  idleShareDay: "aifactory:gpu_energy_idle_ratio:1d_by_pool",
  siteIdleShareDay: "aifactory:gpu_energy_idle_ratio:1d",
} as const;

/** One recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

const GPU = `${POOL_LABEL}, ${DcgmLabels.uuid}`;
const HOLDER = `${GPU}, ${DcgmLabels.namespace}, ${DcgmLabels.pod}`;

/** `namespace=~"a|b|c"`: series a tenant's pod holds (an idle GPU's carry the exporter's namespace). */
export function tenantMatcher(tenants: readonly TenantConfig[]): string {
  return `${DcgmLabels.namespace}=~"${tenants.map((t) => t.name).join("|")}"`;
}

/** A MIG pool's profiles and each one's share of a GPU: its compute slices over the layout's. */
export function migShares(pool: GpuPoolConfig): { profile: string; share: number }[] {
  if (pool.mig === undefined || pool.mig === MIG_CONFIG_DISABLED) return [];
  const layout = MIG_SLICES[pool.gpuModel]?.[pool.mig];
  if (layout === undefined) return [];
  const slices = (profile: string) => Number(/^(\d+)g\./.exec(profile)?.[1] ?? 0);
  const total = Object.entries(layout).reduce((n, [profile, count]) => n + slices(profile) * count, 0);
  return Object.keys(layout).map((profile) => ({ profile, share: slices(profile) / total }));
}

/**
 * Each holder's share of each GPU it holds: 1 for a whole GPU (split evenly
 * if the exporter names several pods on one), and for a MIG instance its
 * profile's share of the GPU, summed over the instances a pod holds.
 */
export function holderShareExpression(tenants: readonly TenantConfig[], pools: readonly GpuPoolConfig[]): string {
  const held = tenantMatcher(tenants);
  const whole = `group by (${HOLDER}) (${DcgmMetrics.energy}{${held}, ${DcgmLabels.gpuInstanceProfile}=""})`;
  const terms = [`${whole} / on (${GPU}) group_left count by (${GPU}) (${whole})`];
  for (const pool of pools) {
    for (const { profile, share } of migShares(pool)) {
      const selector = `${DcgmMetrics.energy}{${held}, ${POOL_LABEL}="${pool.name}", ${DcgmLabels.gpuInstanceProfile}="${profile}"}`;
      terms.push(`group by (${HOLDER}, ${DcgmLabels.gpuInstanceId}) (${selector}) * ${share}`);
    }
  }
  return `sum by (${HOLDER}) (${terms.map((t) => `(${t})`).join(" or ")})`;
}

/** `x` over `[window]` in kWh, per pool. */
function poolIncrease(window: string): string {
  return `sum by (${POOL_LABEL}) (increase(${Attribution.gpuEnergyCounter}{${POOL_LABEL}!=""}[${window}])) / ${MILLIJOULES_PER_KWH}`;
}

/** The pool's energy less what its tenants were charged (`or` keeps pools no tenant used). */
function idle(pool: string, tenants: string): string {
  return `${pool} - on (${POOL_LABEL}) (sum by (${POOL_LABEL}) (${tenants}) or ${pool} * 0)`;
}

/** The attribution rules, in evaluation order (each reads only series recorded above it). */
export function attributionRules(tenants: readonly TenantConfig[], pools: readonly GpuPoolConfig[]): RecordingRule[] {
  const A = Attribution;
  return [
    { record: A.gpuPower, expr: `max by (${GPU}) (${DcgmMetrics.power})` },
    { record: A.gpuEnergyCounter, expr: `max by (${GPU}) (${DcgmMetrics.energy})` },
    { record: A.holderShare, expr: holderShareExpression(tenants, pools) },
    // The counter's rise between this evaluation and the last (irate handles a reset after a reboot).
    { record: A.gpuEnergyMinute, expr: `irate(${A.gpuEnergyCounter}[2m]) * 60 / ${MILLIJOULES_PER_KWH}` },
    { record: A.podEnergyMinute, expr: `sum by (${POOL_LABEL}, namespace, pod) (${A.holderShare} * on (${GPU}) group_left ${A.gpuEnergyMinute})` },
    { record: A.podEnergyHour, expr: `sum_over_time(${A.podEnergyMinute}[${HOUR}])` },
    { record: A.poolTenantEnergyMinute, expr: `sum by (${POOL_LABEL}, namespace) (${A.podEnergyMinute})` },
    { record: A.poolTenantEnergyDay, expr: `sum_over_time(${A.poolTenantEnergyMinute}[${DAY}])` },
    { record: A.tenantPower, expr: `sum by (namespace) (${A.holderShare} * on (${GPU}) group_left ${A.gpuPower})` },
    { record: A.tenantEnergyHour, expr: `sum by (namespace) (${A.podEnergyHour})` },
    { record: A.tenantEnergyDay, expr: `sum by (namespace) (${A.poolTenantEnergyDay})` },
    { record: A.poolEnergyHour, expr: poolIncrease("1h") },
    { record: A.poolEnergyDay, expr: poolIncrease("1d") },
    { record: A.idleEnergyHour, expr: idle(A.poolEnergyHour, A.podEnergyHour) },
    { record: A.idleEnergyDay, expr: idle(A.poolEnergyDay, A.poolTenantEnergyDay) },
    // The idle share of the last day's GPU energy, per pool and for the site (no series while a pool drew nothing).
    { record: A.idleShareDay, expr: `${A.idleEnergyDay} / on (${POOL_LABEL}) (${A.poolEnergyDay} > 0)` },
    { record: A.siteIdleShareDay, expr: `sum(${A.idleEnergyDay}) / (sum(${A.poolEnergyDay}) > 0)` },
  ];
}

/** One pool's GPU power, each GPU once: what the draw alert and the IT estimate read. */
export function poolPowerExpression(pool: string): string {
  return `sum(max by (${DcgmLabels.uuid}) (${DcgmMetrics.power}{${POOL_LABEL}="${pool}"}))`;
}
