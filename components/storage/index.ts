export * from "./classes";
export * from "./data";
export * from "./sovereignStorage";
