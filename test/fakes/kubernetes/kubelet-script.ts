// What a scripted container looks like at a moment of its life, as kubelet reports it in
// containerStatuses (k8s.io/kubernetes pkg/kubelet/kubelet_pods.go convertToAPIContainerStatuses;
// reasons from pkg/kubelet/images/types.go and pkg/kubelet/container/sync_result.go). Real
// back-offs grow 10 s, 20 s, 40 s...; here they are a constant few hundred milliseconds.
import { timestamp } from './objects.ts';
import type { ContainerState, ContainerStatus } from './types.ts';

/** How the containers of one image behave. */
export interface ContainerScript {
  /** Ready this long after the pod is created (default 200 ms). */
  readyAfterMs?: number;
  /** Starts, exits after a moment, is restarted after a back-off, forever. */
  crashLoop?: boolean;
  /** The crash's exit code (default 1); setting it implies crashLoop. */
  exitCode?: number;
  /** The terminated reason (default "Error"; "OOMKilled" with exitCode 137). */
  terminatedReason?: string;
  /** 'fail': ErrImagePull, then ImagePullBackOff, never started. */
  imagePull?: 'fail';
  /** No node fits: the pod stays Pending with PodScheduled=False Unschedulable. */
  unschedulable?: boolean;
  /** What the container prints each time it starts. */
  logs?: string[];
  /** How long a deleted pod stays Terminating (default: the cluster's, 300 ms). */
  terminationMs?: number;
}

export const CREATE_MS = 50;
export const RUN_MS = 120;
export const CYCLE_MS = 400;

export interface ContainerMoment {
  status: ContainerStatus;
  /** Which run is current (0 = first start); -1 before the first start. */
  run: number;
  /** When the container became ready; null while it is not. */
  readySince: number | null;
  /** When this status will next change by itself (Infinity: not until something else happens). */
  changesAt: number;
}

const digest = (image: string): string => {
  let h = 0;
  for (const ch of image) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(8);
};

/** docker.io/library/nginx:1 for nginx:1, as containerd reports an image it pulled. */
export function fullImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return image;
  return slash === -1 ? `docker.io/library/${image}` : `docker.io/${image}`;
}

export function containerMoment(
  name: string,
  image: string,
  script: ContainerScript,
  createdAt: number,
  now: number,
  /** The pod as kubelet names it in messages (format.Pod): NAME_NAMESPACE(UID). */
  podRef: string,
  podUid: string,
): ContainerMoment {
  const t = now - createdAt;
  const base = { name, image: fullImage(image), imageID: '', restartCount: 0, ready: false, started: false };
  const id = (run: number) => `containerd://${digest(`${podUid}/${name}/${run}`)}`;
  const waiting = (reason: string, message?: string): ContainerState => ({
    waiting: message ? { reason, message } : { reason },
  });
  const readyAfter = script.readyAfterMs ?? 200;
  const createMs = Math.min(CREATE_MS, readyAfter);
  if (t < createMs || script.unschedulable) {
    const status = { ...base, state: waiting('ContainerCreating'), lastState: {} };
    const changesAt = script.unschedulable ? Number.POSITIVE_INFINITY : createdAt + createMs;
    return { status, run: -1, readySince: null, changesAt };
  }
  if (script.imagePull === 'fail') {
    const half = CYCLE_MS / 2;
    const backingOff = (t - createMs) % CYCLE_MS >= half;
    const changesAt = createdAt + createMs + (Math.floor((t - createMs) / half) + 1) * half;
    const ref = fullImage(image);
    const state = backingOff
      ? waiting('ImagePullBackOff', `Back-off pulling image "${image}"`)
      : waiting(
          'ErrImagePull',
          `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
        );
    return { status: { ...base, state, lastState: {} }, run: -1, readySince: null, changesAt };
  }
  const imageID = `${fullImage(image).replace(/:[^/:]+$/, '')}@sha256:${digest(image)}`;
  if (script.crashLoop || script.exitCode !== undefined) {
    const run = Math.floor((t - createMs) / CYCLE_MS);
    const offset = (t - createMs) % CYCLE_MS;
    const startOf = (k: number) => createdAt + createMs + k * CYCLE_MS;
    const terminated = (k: number): ContainerState => ({
      terminated: {
        exitCode: script.exitCode ?? 1,
        reason: script.terminatedReason ?? 'Error',
        startedAt: timestamp(startOf(k)),
        finishedAt: timestamp(startOf(k) + RUN_MS),
        containerID: id(k),
      },
    });
    if (offset < RUN_MS) {
      const status: ContainerStatus = {
        ...base,
        imageID,
        containerID: id(run),
        started: true,
        restartCount: run,
        state: { running: { startedAt: timestamp(startOf(run)) } },
        lastState: run > 0 ? terminated(run - 1) : {},
      };
      return { status, run, readySince: null, changesAt: startOf(run) + RUN_MS };
    }
    const message = `back-off 10s restarting failed container=${name} pod=${podRef}`;
    const status: ContainerStatus = {
      ...base,
      imageID,
      containerID: id(run),
      restartCount: run + 1,
      state: waiting('CrashLoopBackOff', message),
      lastState: terminated(run),
    };
    return { status, run, readySince: null, changesAt: startOf(run + 1) };
  }
  const ready = t >= readyAfter;
  const status: ContainerStatus = {
    ...base,
    imageID,
    containerID: id(0),
    started: true,
    ready,
    state: { running: { startedAt: timestamp(createdAt + createMs) } },
    lastState: {},
  };
  const changesAt = ready ? Number.POSITIVE_INFINITY : createdAt + readyAfter;
  return { status, run: 0, readySince: ready ? createdAt + readyAfter : null, changesAt };
}
