// Entry point for the Pulumi CLI in the fleet project (`fleet/Pulumi.yaml`).
import { main } from "./program";

export = main;
