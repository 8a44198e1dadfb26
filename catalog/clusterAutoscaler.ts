/**
 * Facts about the cluster-autoscaler and its Helm chart, read from
 * kubernetes/autoscaler at the tags named here (chart
 * `cluster-autoscaler-chart-9.53.0`, app `cluster-autoscaler-1.34.2`).
 */

/** The chart and app versions the factory pins (chart 9.53.0 ships app 1.34.2, for Kubernetes 1.34). */
export const CLUSTER_AUTOSCALER_VERSIONS = {
  chart: "9.53.0",
  image: "v1.34.2",
} as const;

/** The chart's name and the image it pulls upstream (`image.repository` in values.yaml at 9.53.0). */
export const CLUSTER_AUTOSCALER_CHART = {
  name: "cluster-autoscaler",
  imageRepository: "registry.k8s.io/autoscaling/cluster-autoscaler",
} as const;

/**
 * How the chart (9.53.0, `templates/deployment.yaml`) connects the clusterapi
 * provider to the clusters. `incluster-incluster`: the autoscaler runs in a
 * self-managed cluster and uses its ServiceAccount for both. `kubeconfig-incluster`:
 * it runs in the management cluster (its ServiceAccount reaches the Machine
 * objects) and reads the workload cluster's Nodes and Pods through the
 * kubeconfig Secret `clusterAPIKubeconfigSecret`, mounted from the release's
 * namespace (key `value`, the layout of Cluster API's `<cluster>-kubeconfig`).
 * In both modes the chart's ClusterRole lets it update MachineDeployments
 * and their `scale` subresource (`templates/clusterrole.yaml`).
 */
export const CLUSTER_AUTOSCALER_MODES = {
  selfManaged: "incluster-incluster",
  separateManagement: "kubeconfig-incluster",
} as const;

/**
 * The chart's value paths the factory sets (9.53.0 values.yaml): the provider,
 * its mode, auto-discovery (rendered as `--node-group-auto-discovery=clusterapi:clusterName=<c>,namespace=<ns>`),
 * the workload kubeconfig Secret and the image.
 */
export const CLUSTER_AUTOSCALER_VALUE_PATHS = [
  "cloudProvider",
  "clusterAPIMode",
  "clusterAPIKubeconfigSecret",
  "autoDiscovery.clusterName",
  "autoDiscovery.namespace",
  "image.repository",
  "image.tag",
] as const;

/**
 * The node label the clusterapi provider reads to tell a GPU node that is up
 * before its device plugin has advertised `nvidia.com/gpu` (1.34.2,
 * `cloudprovider/clusterapi/clusterapi_provider.go` `GPULabel`; README "Special
 * note on GPU instances"). Without it the autoscaler may scale up again for
 * pods a node already booting would take. The value is arbitrary.
 */
export const AUTOSCALER_GPU_LABEL = "cluster-api/accelerator";

/** Cluster API's secret holding a workload cluster's admin kubeconfig, key `value` (v1.14.0 `util/secret`). */
export function capiKubeconfigSecretName(clusterName: string): string {
  return `${clusterName}-kubeconfig`;
}
