// Values the global setup hands to every test file through vitest's provide/inject.
import type { PolicyDirectoryAccess } from "./policy-directory.ts";

export interface ProvidedSynapse {
  baseUrl: string;
  serverName: string;
  registrationSharedSecret: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    synapse: ProvidedSynapse;
    /** The directory the test Synapse's policy module asks (who is a verified member). */
    policyDirectory: PolicyDirectoryAccess;
  }
}
