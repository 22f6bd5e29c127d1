// Bootstrap of a parse worker thread: plain JavaScript, so it starts without a TypeScript loader;
// it registers tsx in this thread (workers do not inherit the main thread's loader), then loads
// the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
