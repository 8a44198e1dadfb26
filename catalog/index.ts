/**
 * Every fact the program relies on. The vocabulary shared with the policy
 * pack (labels, regions, GPUs, power, endpoints) lives in the pack's own
 * folder, `policies/catalog/`, so the pack publishes whole; facts only the
 * program needs (upstream projects' keys, paths and versions) live here.
 */
export * from "../policies/catalog";
export * from "./clusterApi";
export * from "./gpuOperatorChart";
export * from "./rook";
export * from "./vllm";
export * from "./monitoring";
export * from "./gatewayApi";
export * from "./dcgm";
export * from "./kueue";
export * from "./clusterAutoscaler";
export * from "./ingressControllers";
export * from "./pulumiOperator";
export * from "./envoy";
export * from "./eedRecord";
export * from "./s3Client";
