export * from "./naming";
export * from "./spec";
export * from "./labels";
export * from "./site";
export * from "./tenant";
export * from "./factory";
export * from "./gpuOperator";
export * from "./gpuPool";
