export * from "./admissionPolicies";
export * from "./policies";
export * from "./types";
export { PLACE_KEY_PATTERN, NOT_PLACE_KEY_PATTERN, celIsPlaceKey } from "./celKeys";
