/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Resamples drawn. Default 2000. */
  resamples?: number;
  /** Confidence level of the interval. Default 0.95. */
  confidence?: number;
  /** Seed of the resampling. Default 1. */
  seed?: number;
}
