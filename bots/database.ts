// The bots' database with every module's tables, for what works on the whole system
// (scripts, benches, tests). A bot process opens it with the modules configured to run
// (bots/main.ts), each module contributing its own migrations.
import { CARE_SCHEMA } from "./care/migrations.ts";
import { openDatabase as openWithModules, type Db } from "./core/store/database.ts";
import type { ModuleSchema } from "./core/store/migrations.ts";
import { DIRECTORY_SCHEMA } from "./directory/migrations.ts";
import { SNP_SCHEMA } from "./snp/migrations.ts";
import { MSSANTE_SCHEMA } from "../bridges/mssante/migrations.ts";

export type { Db };

/** Every module's tables (core's come with any database). */
export const MODULE_SCHEMAS: readonly ModuleSchema[] = [DIRECTORY_SCHEMA, SNP_SCHEMA, CARE_SCHEMA, MSSANTE_SCHEMA];

export function openDatabase(file: string, modules: readonly ModuleSchema[] = MODULE_SCHEMAS): Db {
  return openWithModules(file, modules);
}
