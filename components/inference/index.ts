export * from "./deployment";
export * from "./networking";
export * from "./inferenceService";
export * from "./autoscaling";
export * from "./timeouts";
export * from "./authProxy";
export * from "./clients";
export * from "./clientTraffic";
