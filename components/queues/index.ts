export * from "./kueue";
export * from "./queues";
export * from "./gpuQueues";
export * from "./gateGuard";
