throw new Error("canvas is not available in this project (see stubs/canvas/package.json)");
