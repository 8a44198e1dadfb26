// Entry point for the Pulumi CLI: it calls the exported function and uses the
// returned object as the stack's outputs.
import { main } from "./program";

// With the guard rails: whatever runs this program (the CLI with or without
// --policy-pack, the Pulumi Kubernetes Operator) gets the pack's mandatory
// checks before anything is declared.
export = () => main({ guardRails: true });
