export * from "./labels";
export * from "./power";
export * from "./clusterApi";
export * from "./static";
export * from "./record";
export * from "./gpuNodePool";
