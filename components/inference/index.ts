export * from "./deployment";
export * from "./networking";
export * from "./inferenceService";
