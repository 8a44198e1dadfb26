/**
 * Facts about the NVIDIA GPU operator Helm chart at the version the factory
 * pins, read from the chart's own `values.yaml` and templates at that tag
 * (`deployments/gpu-operator/` in NVIDIA/gpu-operator). The factory's values
 * must use only keys listed here, and must mirror every image listed here.
 */

/** The chart version these facts were read from; `cluster.gpuOperator.chartVersion` defaults to it. */
export const GPU_OPERATOR_CHART_VERSION = "v25.10.0";

/** One image the chart (or the operator it installs) pulls, and where its repository is set. */
export interface ChartImage {
  /** Values path of the object holding `repository` (and `image`, `version`). */
  readonly valuesPath: string;
  /** The chart's default repository: registry host plus path. */
  readonly repository: string;
  /** Image name under the repository. */
  readonly image: string;
  /** Whether the image runs in the factory's configuration (container workloads, no vGPU or VM passthrough). */
  readonly runs: boolean;
}

/**
 * Every image repository the chart's templates read (`clusterpolicy.yaml`,
 * `operator.yaml`, `cleanup_crd.yaml`, `upgrade_crd.yaml`) and the bundled
 * node-feature-discovery subchart (v0.18.2). The validator ships in the
 * operator's own image (`nvcr.io/nvidia/gpu-operator`), not under
 * `cloud-native`.
 */
export const GPU_OPERATOR_IMAGES: readonly ChartImage[] = [
  { valuesPath: "operator", repository: "nvcr.io/nvidia", image: "gpu-operator", runs: true },
  { valuesPath: "operator.initContainer", repository: "nvcr.io/nvidia", image: "cuda", runs: true },
  { valuesPath: "validator", repository: "nvcr.io/nvidia", image: "gpu-operator", runs: true },
  { valuesPath: "driver", repository: "nvcr.io/nvidia", image: "driver", runs: true },
  { valuesPath: "driver.manager", repository: "nvcr.io/nvidia/cloud-native", image: "k8s-driver-manager", runs: true },
  { valuesPath: "toolkit", repository: "nvcr.io/nvidia/k8s", image: "container-toolkit", runs: true },
  { valuesPath: "devicePlugin", repository: "nvcr.io/nvidia", image: "k8s-device-plugin", runs: true },
  { valuesPath: "dcgm", repository: "nvcr.io/nvidia/cloud-native", image: "dcgm", runs: false },
  { valuesPath: "dcgmExporter", repository: "nvcr.io/nvidia/k8s", image: "dcgm-exporter", runs: true },
  { valuesPath: "gfd", repository: "nvcr.io/nvidia", image: "k8s-device-plugin", runs: true },
  { valuesPath: "migManager", repository: "nvcr.io/nvidia/cloud-native", image: "k8s-mig-manager", runs: true },
  { valuesPath: "nodeStatusExporter", repository: "nvcr.io/nvidia", image: "gpu-operator", runs: false },
  { valuesPath: "gds", repository: "nvcr.io/nvidia/cloud-native", image: "nvidia-fs", runs: false },
  { valuesPath: "gdrcopy", repository: "nvcr.io/nvidia/cloud-native", image: "gdrdrv", runs: false },
  { valuesPath: "vgpuManager.driverManager", repository: "nvcr.io/nvidia/cloud-native", image: "k8s-driver-manager", runs: false },
  { valuesPath: "vgpuDeviceManager", repository: "nvcr.io/nvidia/cloud-native", image: "vgpu-device-manager", runs: false },
  { valuesPath: "vfioManager", repository: "nvcr.io/nvidia", image: "cuda", runs: false },
  { valuesPath: "vfioManager.driverManager", repository: "nvcr.io/nvidia/cloud-native", image: "k8s-driver-manager", runs: false },
  { valuesPath: "kataManager", repository: "nvcr.io/nvidia/cloud-native", image: "k8s-kata-manager", runs: false },
  { valuesPath: "sandboxDevicePlugin", repository: "nvcr.io/nvidia", image: "kubevirt-gpu-device-plugin", runs: false },
  { valuesPath: "ccManager", repository: "nvcr.io/nvidia/cloud-native", image: "k8s-cc-manager", runs: false },
  {
    valuesPath: "node-feature-discovery.image",
    repository: "registry.k8s.io/nfd/node-feature-discovery",
    image: "",
    runs: true,
  },
];

/**
 * Every values path the chart knows at this version: the leaves of its
 * `values.yaml`, the `version` keys its templates read although `values.yaml`
 * leaves them commented out, and the subchart paths the factory sets. A key
 * not in this list is silently ignored by the chart (as `operator.defaultRuntime`
 * has been since it was removed).
 */
export const GPU_OPERATOR_VALUE_PATHS: ReadonlySet<string> = new Set(
  `
  platform.openshift nfd.enabled nfd.nodefeaturerules psa.enabled cdi.enabled sandboxWorkloads.enabled
  sandboxWorkloads.defaultWorkload hostPaths.rootFS hostPaths.driverInstallDir daemonsets.labels
  daemonsets.annotations daemonsets.priorityClassName daemonsets.tolerations daemonsets.updateStrategy
  daemonsets.rollingUpdate.maxUnavailable validator.repository validator.image
  validator.imagePullPolicy validator.imagePullSecrets validator.env validator.args
  validator.resources validator.plugin.env operator.repository operator.image operator.imagePullPolicy
  operator.imagePullSecrets operator.priorityClassName operator.runtimeClass
  operator.use_ocp_driver_toolkit operator.cleanupCRD operator.upgradeCRD
  operator.initContainer.repository operator.initContainer.image operator.initContainer.version
  operator.initContainer.imagePullPolicy operator.tolerations
  operator.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution
  operator.logging.timeEncoding operator.logging.level operator.logging.develMode
  operator.resources.limits.cpu operator.resources.limits.memory operator.resources.requests.cpu
  operator.resources.requests.memory mig.strategy driver.enabled driver.nvidiaDriverCRD.enabled
  driver.nvidiaDriverCRD.deployDefaultCR driver.nvidiaDriverCRD.driverType
  driver.nvidiaDriverCRD.nodeSelector driver.kernelModuleType driver.usePrecompiled driver.repository
  driver.image driver.version driver.imagePullPolicy driver.imagePullSecrets
  driver.startupProbe.initialDelaySeconds driver.startupProbe.periodSeconds
  driver.startupProbe.timeoutSeconds driver.startupProbe.failureThreshold driver.rdma.enabled
  driver.rdma.useHostMofed driver.upgradePolicy.autoUpgrade driver.upgradePolicy.maxParallelUpgrades
  driver.upgradePolicy.maxUnavailable driver.upgradePolicy.waitForCompletion.timeoutSeconds
  driver.upgradePolicy.waitForCompletion.podSelector driver.upgradePolicy.gpuPodDeletion.force
  driver.upgradePolicy.gpuPodDeletion.timeoutSeconds
  driver.upgradePolicy.gpuPodDeletion.deleteEmptyDir driver.upgradePolicy.drain.enable
  driver.upgradePolicy.drain.force driver.upgradePolicy.drain.podSelector
  driver.upgradePolicy.drain.timeoutSeconds driver.upgradePolicy.drain.deleteEmptyDir
  driver.manager.repository driver.manager.image driver.manager.version driver.manager.imagePullPolicy
  driver.manager.env driver.env driver.resources driver.repoConfig.configMapName
  driver.certConfig.name driver.licensingConfig.secretName driver.licensingConfig.nlsEnabled
  driver.virtualTopology.config driver.kernelModuleConfig.name driver.secretEnv toolkit.enabled
  toolkit.repository toolkit.image toolkit.version toolkit.imagePullPolicy toolkit.imagePullSecrets
  toolkit.env toolkit.resources toolkit.installDir devicePlugin.enabled devicePlugin.repository
  devicePlugin.image devicePlugin.version devicePlugin.imagePullPolicy devicePlugin.imagePullSecrets
  devicePlugin.args devicePlugin.env devicePlugin.resources devicePlugin.config.create
  devicePlugin.config.name devicePlugin.config.default devicePlugin.config.data devicePlugin.mps.root
  dcgm.enabled dcgm.repository dcgm.image dcgm.version dcgm.imagePullPolicy dcgm.args dcgm.env
  dcgm.resources dcgmExporter.enabled dcgmExporter.repository dcgmExporter.image dcgmExporter.version
  dcgmExporter.imagePullPolicy dcgmExporter.env dcgmExporter.resources dcgmExporter.hostPID
  dcgmExporter.service.internalTrafficPolicy dcgmExporter.serviceMonitor.enabled
  dcgmExporter.serviceMonitor.interval dcgmExporter.serviceMonitor.honorLabels
  dcgmExporter.serviceMonitor.additionalLabels dcgmExporter.serviceMonitor.relabelings gfd.enabled
  gfd.repository gfd.image gfd.version gfd.imagePullPolicy gfd.imagePullSecrets gfd.env gfd.resources
  migManager.enabled migManager.repository migManager.image migManager.version
  migManager.imagePullPolicy migManager.imagePullSecrets migManager.env migManager.resources
  migManager.config.default migManager.config.create migManager.config.name migManager.config.data
  migManager.gpuClientsConfig.name nodeStatusExporter.enabled nodeStatusExporter.repository
  nodeStatusExporter.image nodeStatusExporter.imagePullPolicy nodeStatusExporter.imagePullSecrets
  nodeStatusExporter.resources gds.enabled gds.repository gds.image gds.version gds.imagePullPolicy
  gds.imagePullSecrets gds.env gds.args gdrcopy.enabled gdrcopy.repository gdrcopy.image
  gdrcopy.version gdrcopy.imagePullPolicy gdrcopy.imagePullSecrets gdrcopy.env gdrcopy.args
  vgpuManager.enabled vgpuManager.repository vgpuManager.image vgpuManager.version
  vgpuManager.imagePullPolicy vgpuManager.imagePullSecrets vgpuManager.env vgpuManager.resources
  vgpuManager.driverManager.repository vgpuManager.driverManager.image
  vgpuManager.driverManager.version vgpuManager.driverManager.imagePullPolicy
  vgpuManager.driverManager.env vgpuDeviceManager.enabled vgpuDeviceManager.repository
  vgpuDeviceManager.image vgpuDeviceManager.version vgpuDeviceManager.imagePullPolicy
  vgpuDeviceManager.imagePullSecrets vgpuDeviceManager.env vgpuDeviceManager.config.name
  vgpuDeviceManager.config.default vfioManager.enabled vfioManager.repository vfioManager.image
  vfioManager.version vfioManager.imagePullPolicy vfioManager.imagePullSecrets vfioManager.env
  vfioManager.resources vfioManager.driverManager.repository vfioManager.driverManager.image
  vfioManager.driverManager.version vfioManager.driverManager.imagePullPolicy
  vfioManager.driverManager.env kataManager.enabled kataManager.config.artifactsDir
  kataManager.config.runtimeClasses kataManager.repository kataManager.image kataManager.version
  kataManager.imagePullPolicy kataManager.imagePullSecrets kataManager.env kataManager.resources
  sandboxDevicePlugin.enabled sandboxDevicePlugin.repository sandboxDevicePlugin.image
  sandboxDevicePlugin.version sandboxDevicePlugin.imagePullPolicy sandboxDevicePlugin.imagePullSecrets
  sandboxDevicePlugin.args sandboxDevicePlugin.env sandboxDevicePlugin.resources ccManager.enabled
  ccManager.defaultMode ccManager.repository ccManager.image ccManager.version
  ccManager.imagePullPolicy ccManager.imagePullSecrets ccManager.env ccManager.resources
  node-feature-discovery.priorityClassName node-feature-discovery.gc.enable
  node-feature-discovery.gc.replicaCount node-feature-discovery.gc.serviceAccount.name
  node-feature-discovery.gc.serviceAccount.create node-feature-discovery.worker.serviceAccount.name
  node-feature-discovery.worker.serviceAccount.create node-feature-discovery.worker.tolerations
  node-feature-discovery.worker.config.sources.pci.deviceClassWhitelist
  node-feature-discovery.worker.config.sources.pci.deviceLabelFields
  node-feature-discovery.master.serviceAccount.name
  node-feature-discovery.master.serviceAccount.create
  node-feature-discovery.master.config.extraLabelNs
  operator.version validator.version nodeStatusExporter.version
  node-feature-discovery.image.repository node-feature-discovery.image.tag
`
    .trim()
    .split(/\s+/),
);

/**
 * Per-node label the operator reads before scheduling its driver DaemonSet on
 * a node (`controllers/state_manager.go`, v25.10.0): it sets the label to
 * "true" only where the node does not already carry it, and the driver
 * DaemonSet selects `"true"`. So `"false"` keeps the operator's driver off a
 * node whose driver is installed on the host.
 */
export const GPU_OPERATOR_DEPLOY_DRIVER_LABEL = "nvidia.com/gpu.deploy.driver";
