// One app's live feed for the screen: snapshots (deduplicated), a lost connection (stale), a
// feed broken for good (error), and T1's stop-and-deploy-again: a screen opened on a name follows
// the name to the new app, and says where the stopped one stays reachable.
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import type { Stale } from './present/header.ts';
import { shareUnchanged } from './snapshot-sharing.ts';

/** What the feed tells the screen. */
export interface FeedView {
  snapshot: Snapshot | null;
  /** The feed broke for good. */
  error: string | null;
  /** The feed is lost and reconnecting: the snapshot is that old. */
  stale: Stale | null;
  /** Something the feed did by itself that the operator should know (it switched apps). */
  notice: string | null;
}

/** How often a stopped app's name is checked for a new app of the same name. */
const FOLLOW_MS = 2_000;

/** `shop#1` for the first app of a name (its id is `shop`), `shop#2` for `shop#2`. */
export function numberedName(snapshot: Snapshot): string {
  return snapshot.appId.includes('#') ? snapshot.appId : `${snapshot.app}#1`;
}

/** Subscribes to `app` and calls `changed` whenever what the screen shows changed. */
export function followApp(
  provider: Provider,
  app: string,
  initial: Snapshot | null,
  changed: (view: FeedView) => void,
): { view: () => FeedView; stop: () => void } {
  const view: FeedView = { snapshot: initial, error: null, stale: null, notice: null };
  let stopped = false;
  let unsubscribe: () => void = () => {};
  let follow: NodeJS.Timeout | null = null;
  // Only a bare name follows: `shop#1` names one app for good.
  const followsName = !app.includes('#');

  const subscribe = () => {
    unsubscribe = provider.watch(app, {
      snapshot: (next) => {
        const { snapshot, changed: differs } = shareUnchanged(view.snapshot, next);
        if (!differs && view.error === null && view.stale === null) return;
        view.snapshot = snapshot;
        view.error = null;
        view.stale = null;
        watchForNewApp();
        changed(view);
      },
      error: (failure) => {
        view.error = `feed lost: ${failure.message}`;
        changed(view);
      },
      // A connection that drops says so at once: the numbers on screen are stale until it is back.
      feed: (state) => {
        view.stale = state.live ? null : { message: state.message, since: state.since };
        changed(view);
      },
    });
  };

  const watchForNewApp = () => {
    const stoppedApp = view.snapshot?.status === 'stopped' ? view.snapshot : null;
    if (!followsName || stoppedApp === null || follow !== null || stopped) return;
    follow = setTimeout(() => {
      follow = null;
      provider.snapshot(app).then(
        (latest) => {
          if (stopped) return;
          if (latest.appId === stoppedApp.appId || view.snapshot?.appId !== stoppedApp.appId) {
            watchForNewApp();
            return;
          }
          // T1: the name now belongs to a new app; the stopped one keeps its numbered name.
          unsubscribe();
          view.notice = `${app} was deployed again as a new app; the stopped one is ${numberedName(stoppedApp)}`;
          view.snapshot = latest;
          changed(view);
          subscribe();
        },
        () => watchForNewApp(),
      );
    }, FOLLOW_MS);
  };

  subscribe();
  watchForNewApp();
  return {
    view: () => view,
    stop: () => {
      stopped = true;
      if (follow !== null) clearTimeout(follow);
      unsubscribe();
    },
  };
}
