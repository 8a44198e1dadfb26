// Entry point for the Pulumi CLI: it calls the exported function and uses the
// returned object as the stack's outputs.
import { main } from "./program";

export = main;
