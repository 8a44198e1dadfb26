export * from "./classes";
export * from "./data";
export * from "./sovereignStorage";
export * from "./kms";
export * from "./objectStore";
export * from "./bucketEncryption";
