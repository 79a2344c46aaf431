/** A label set: label name → value. */
export type Labels = Record<string, string>;

interface CacheNode {
  /** The label name this level's values belong to. */
  name: string;
  next: Map<string, CacheNode>;
  labels?: Labels;
}

/**
 * Bounded label sets by metric and raw label values, as a tree of maps with one level per label:
 * a lookup walks maps keyed by the values themselves, so the hot path builds no key string. It
 * holds at most `capacity` label sets and starts over when full (entries are rebuilt on demand).
 */
export class LabelSetCache {
  private readonly roots = new Map<string, Map<string, CacheNode>>();
  private size = 0;

  constructor(private readonly capacity: number) {}

  get(metric: string, labels: Labels): Labels | undefined {
    let level = this.roots.get(metric);
    let node: CacheNode | undefined;
    for (const name in labels) {
      node = level?.get(labels[name] as string);
      if (node === undefined || node.name !== name) return undefined;
      level = node.next;
    }
    return node?.labels;
  }

  set(metric: string, labels: Labels, bounded: Labels): void {
    if (this.size >= this.capacity) {
      this.roots.clear();
      this.size = 0;
    }
    let level = this.roots.get(metric);
    if (level === undefined) {
      level = new Map();
      this.roots.set(metric, level);
    }
    let node: CacheNode | undefined;
    for (const name in labels) {
      const value = labels[name] as string;
      node = level.get(value);
      if (node === undefined) {
        node = { name, next: new Map() };
        level.set(value, node);
      } else if (node.name !== name) {
        return; // the same metric with its labels in another order: not cached
      }
      level = node.next;
    }
    if (node !== undefined && node.labels === undefined) {
      node.labels = bounded;
      this.size++;
    }
  }
}
