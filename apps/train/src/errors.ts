// The trainer's failure kinds, each with structured fields so tests assert on fields and the CLI prints the
// message alone (no stack) — the message already names the option, file or step and what was expected.

/** Base class: an expected failure whose message is the whole story. */
export class TrainError extends Error {
  override name = 'TrainError';
}

/** A bad option or model override: names it, what it accepts, and what came in. */
export class TrainConfigError extends TrainError {
  override name = 'TrainConfigError';
  constructor(
    readonly option: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`${option}: expected ${expected}; got ${got}`);
  }
}

/** NaN or ±Inf in the loss, the gradients or the weights: the run stops before the bad update is kept. */
export class NonFiniteError extends TrainError {
  override name = 'NonFiniteError';
  constructor(
    /** The optimiser step (1-based) being computed. */
    readonly step: number,
    readonly what: 'loss' | 'gradients' | 'weights',
    readonly value: number,
    /** The newest complete checkpoint folder, untouched by this failure (null: none was written). */
    readonly lastCheckpoint: string | null,
    readonly lastCheckpointStep: number | null,
  ) {
    const keep =
      lastCheckpoint === null
        ? 'no checkpoint had been written yet'
        : `the last good checkpoint is ${lastCheckpoint} (step ${lastCheckpointStep}); continue from it with --resume, e.g. with a lower --lr or a tighter --clip`;
    super(`step ${step}: the ${what} ${what === 'loss' ? 'is' : 'contain'} ${value} — training stopped; ${keep}`);
  }
}

/** A training checkpoint that cannot be used: path, what is wrong, and what to do. */
export class CheckpointError extends TrainError {
  override name = 'CheckpointError';
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`${path}: ${problem}; ${hint}`);
  }
}
