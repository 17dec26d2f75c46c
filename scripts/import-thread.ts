// The command-line import's writer thread (lib/import/speculative/writer.ts), started by
// scripts/import.ts from the file beside it: scripts/bundled-run.mjs bundles it with its entry.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { serveSpeculativeWrites } from '../lib/import/speculative/writer';

await serveSpeculativeWrites(parentPort as MessagePort);
