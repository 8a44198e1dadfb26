export * from "./labels";
export * from "./regions";
export * from "./gpus";
export * from "./power";
export * from "./endpoints";
