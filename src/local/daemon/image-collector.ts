// The image collector: removes stored images no version needs, after a version becomes active.
// One collection at a time, and none while a build runs or a deploy holds the image store (its
// snapshot may be an image nothing records yet). An image any version in the history runs is
// never removed: B1 may roll back to any of them.
import { pruneImages } from '../image/collection.ts';
import type { Store } from '../store/store.ts';

/** How long a stopped app's images are kept (for inspection: it is never started again, T1). */
export const STOPPED_APP_IMAGES_MS = 7 * 24 * 3600 * 1000;

export interface ImageCollectorOptions {
  imagesDir: string;
  store: Store;
  /** Refs of images builds in progress will run (not in the history yet). */
  building(): Iterable<string>;
  /** An unexpected failure (the disk, the store): the daemon cannot go on as if nothing happened. */
  fatal(error: unknown): void;
}

export class ImageCollector {
  private holds = 0;
  private wanted = false;
  private running: Promise<void> | null = null;

  constructor(private readonly options: ImageCollectorOptions) {}

  /** Asks for a collection; it runs when nothing holds the store, after the one running now. */
  schedule(): void {
    this.wanted = true;
    queueMicrotask(() => this.run());
  }

  /** Holds off collections until the returned release is called (a deploy, a build). */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.run();
    };
  }

  /** Resolves when no collection runs (the daemon is going away). */
  async idle(): Promise<void> {
    this.wanted = false;
    await this.running;
  }

  private run(): void {
    if (!this.wanted || this.running || this.holds > 0) return;
    this.wanted = false;
    this.running = this.collect()
      .catch((error: unknown) => this.options.fatal(error))
      .finally(() => {
        this.running = null;
        this.run();
      });
  }

  private async collect(): Promise<void> {
    const keep = this.options.store.imageRefsInUse(Date.now() - STOPPED_APP_IMAGES_MS);
    for (const ref of this.options.building()) keep.add(ref);
    const removed = await pruneImages({ imagesDir: this.options.imagesDir, keep });
    for (const ref of removed) this.options.store.deleteImage(ref);
  }
}
