// Imported first by each bot process entry: some SDK modules bind the global logger's
// methods when they load, so it must be quieted before any of them is evaluated.
import { quietSdkGlobalLogger } from "./sdk-logger.ts";

quietSdkGlobalLogger();
