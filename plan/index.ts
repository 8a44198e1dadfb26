export * from "./monitor";
export * from "./mocks";
export * from "./run";
export * from "./stackConfig";
export * from "./manifests";
export * from "./plan";
export * from "./policies";
