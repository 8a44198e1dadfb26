export * from "./kueue";
export * from "./queues";
export * from "./gpuQueues";
