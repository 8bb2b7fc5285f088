// Entry of a tokenizer worker thread (built by tsup as its own file, dist/worker.js). Loads the tokenizer once,
// then answers the units in the order they came (the pool posts up to two at a time and matches answers by order).
import { parentPort, workerData } from 'node:worker_threads';
import { processUnit } from './process-unit.js';
import type { UnitResult, WorkUnit, WorkerConfig } from './unit.js';

const cfg = workerData as WorkerConfig;
const port = parentPort!;

let previous: Promise<void> = Promise.resolve();
port.on('message', (unit: WorkUnit) => {
  // chained: an OpenWebText unit awaits inside processUnit, and the next unit must not overtake it
  previous = previous.then(() => processUnit(unit, cfg)).then(
    (result: UnitResult) => {
      const transfer = [result.train.tokens.buffer, result.train.docTokens.buffer, result.val.tokens.buffer, result.val.docTokens.buffer];
      port.postMessage({ ok: true, result }, transfer as ArrayBuffer[]);
    },
    (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
