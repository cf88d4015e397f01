// The shim's Node SQLite driver ships its types under dist/, not beside the source.
declare module "indexeddbshim/src/nodeSQLiteDatabase.js" {
  export { default } from "indexeddbshim/dist/nodeSQLiteDatabase.js";
}
