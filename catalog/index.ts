export * from "./labels";
export * from "./regions";
export * from "./gpus";
export * from "./power";
export * from "./endpoints";
export * from "./clusterApi";
export * from "./gpuOperatorChart";
export * from "./rook";
