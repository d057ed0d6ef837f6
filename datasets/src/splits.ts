/** A regression split: `x` is row-major [n, d], `y` has one target per row. */
export interface RegressionSplit {
  x: Float32Array;
  y: Float32Array;
  n: number;
  d: number;
}

/** A classification split: `x` is row-major [n, d], `labels` are class ids in 0..numClasses-1. */
export interface ClassificationSplit {
  x: Float32Array;
  labels: Int32Array;
  n: number;
  d: number;
  numClasses: number;
  /** Each row's position in the source data (see the loader's docs), so provenance and overlap can be checked. */
  sourceIndex: Int32Array;
}
