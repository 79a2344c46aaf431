import type { Registry as PromRegistry, RegistryContentType } from "prom-client";

/** A prom-client registry of either exposition format. */
export type MetricsRegistry = PromRegistry<RegistryContentType>;
