export * from "./specs";
export * from "./autoscaler";
export * from "./siteCluster";
