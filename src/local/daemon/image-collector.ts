// The image collector: removes stored images that no recent version needs, after a version
// becomes active.
import { pruneImages } from '../image.ts';
import type { Store } from '../store/store.ts';

export interface ImageCollectorOptions {
  imagesDir: string;
  store: Store;
  /** Refs that must stay: what recent versions and builds in progress run. */
  keep(): Set<string>;
}

export class ImageCollector {
  constructor(private readonly options: ImageCollectorOptions) {}

  /** Collects once the current step is over. */
  schedule(): void {
    queueMicrotask(() => void this.collect());
  }

  private async collect(): Promise<void> {
    const removed = await pruneImages({ imagesDir: this.options.imagesDir, keep: this.options.keep() });
    for (const ref of removed) this.options.store.deleteImage(ref);
  }
}
