// Worker entry of bench/cv-parallel.ts: Node 20 workers do not inherit tsx's loader, so it is
// registered here before the TypeScript worker (bench/cv-worker.ts) is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./cv-worker.ts');
