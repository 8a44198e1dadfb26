/**
 * The vocabulary the policy pack and the program share: label keys, the
 * Norwegian region catalogue, GPUs, power sources and in-country endpoints.
 * It lives inside the pack so that the pack is whole on its own (what
 * `pulumi policy publish` packs is this folder); the program reads it through
 * `catalog/`.
 */
export * from "./labels";
export * from "./regions";
export * from "./gpus";
export * from "./power";
export * from "./endpoints";
export * from "./foreign";
export * from "./energy";
export * from "./controlPlane";
