export * from "./admissionPolicies";
export * from "./policies";
export * from "./types";
export { PLACE_KEY_PATTERN, NOT_PLACE_KEY_PATTERN, celIsPlaceKey } from "./celKeys";
export { DEFAULT_STORAGE_BACKENDS, type StorageBackends, siteStorageBackends } from "./storage";
