import { MemoryStore } from './memory.js';
import { storeContract } from './contract.testkit.js';

storeContract('memory', async () => new MemoryStore());
