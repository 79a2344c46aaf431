/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** The dataset's name in reports and baselines. Default: the file name without `.jsonl`. */
  name?: string;
}
