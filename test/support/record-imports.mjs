// `node --import ./test/support/record-imports.mjs PROGRAM`: appends the URL of every module the
// program imports (ES module resolution) to the file named by RECORD_IMPORTS_TO, one per line.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_IMPORTS_TO } });
