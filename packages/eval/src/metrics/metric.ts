// One reported number: its value, its standard error and how that was computed, and whether the harness
// reports it or we add it.

/** How a standard error was computed. */
export type StderrMethod = 'mean' | 'acc_all' | `bootstrap-${number}`;

/** A task metric. */
export interface MetricValue {
  value: number;
  /** Null where undefined (fewer than two items). */
  stderr: number | null;
  stderrMethod: StderrMethod;
  /** `harness`: the harness reports this metric (value computed as it does); `extra`: ours, not the harness's. */
  origin: 'harness' | 'extra';
}
