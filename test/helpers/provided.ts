// Values the global setup hands to every test file through vitest's provide/inject.
export interface ProvidedSynapse {
  baseUrl: string;
  serverName: string;
  registrationSharedSecret: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    synapse: ProvidedSynapse;
  }
}
