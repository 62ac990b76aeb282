// A fake Kubernetes API server on 127.0.0.1 for tests: the wire format kubectl and
// @kubernetes/client-node use, over a model of the Deployment and ReplicaSet controllers and a
// scripted kubelet. See README.md beside this file for what it serves and what it does not.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Cluster, type ClusterOptions } from './cluster.ts';
import { Deletes } from './deletes.ts';
import { DeploymentWrites } from './deployment-writes.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { Logs } from './logs.ts';
import { Reads } from './reads.ts';
import { type CheckOptions, type ExpectedCall, type RecordedCall, Recorder } from './recorder.ts';
import { createRouter, type ForbidRule } from './router.ts';
import { type StaleWatchReply, WatchHub } from './watch-hub.ts';

export type { ContainerInput, DeploymentInput } from './cluster.ts';
export type { ContainerScript } from './kubelet.ts';
export type { CheckOptions, ExpectedCall, RecordedCall } from './recorder.ts';
export type { ForbidRule } from './router.ts';

export interface FakeKubeOptions extends ClusterOptions {
  /** Listen on this port (default: any free one). */
  port?: number;
  /**
   * Serve HTTPS with the test-only certificate in tls/ (default true). kubectl sends a bearer
   * token only over TLS (kubectl#744), so only then can the server insist on the token; over
   * plain HTTP a request without one is let in (as anonymous, with every permission) and a
   * wrong one is refused.
   */
  tls?: boolean;
  /**
   * How a watch from a resourceVersion older than the history is refused: 'http' (default)
   * answers HTTP 410 with an Expired Status; 'event' answers 200 with one ERROR line carrying
   * it, as the watch cache does (pkg/storage/cacher: newErrWatcher).
   */
  staleWatch?: StaleWatchReply;
}

export interface FakeKube {
  /** https://127.0.0.1:PORT (http:// with tls: false) */
  url: string;
  /** The server certificate (PEM), which is its own CA; null without TLS. */
  ca: string | null;
  /** The bearer token the server accepts (the kubeconfig's). */
  token: string;
  /** A kubeconfig: contexts `fake` (current, namespace shop-ns) and `other` (default). */
  kubeconfig: string;
  cluster: Cluster;
  /** Every request received, in order. */
  calls: RecordedCall[];
  expectCall(call: ExpectedCall): void;
  /** Throws unless every expected call was made (in order); see CheckOptions. */
  checkExpected(options?: CheckOptions): void;
  /** The PATCH, PUT, POST and DELETE calls received. */
  mutations(): RecordedCall[];
  /** Every open watch gets an in-stream 410 Expired ERROR and ends; older resourceVersions are refused after. */
  expireWatches(): void;
  /** Every open watch ends cleanly, as at a server-side timeout. */
  closeWatches(): void;
  /** Sends a BOOKMARK with the current resourceVersion to the watches that allow bookmarks. */
  bookmark(): void;
  /** Stops listening and drops every connection; the cluster keeps running. */
  goAway(): Promise<void>;
  /** Listens again on the same port, with the same state. */
  comeBack(): Promise<void>;
  /** Answers matching requests 403 Forbidden; returns a function that lifts the rule. */
  forbid(rule: ForbidRule): () => void;
  /** The number of watches open now. */
  openWatches(): number;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const cluster = new Cluster(options);
  const token = randomBytes(16).toString('hex');
  const recorder = new Recorder();
  const watches = new WatchHub(cluster.store, () => options.staleWatch ?? 'http');
  const logs = new Logs(cluster.store, cluster.kubelet);
  const writes = new DeploymentWrites(cluster.store, () => cluster.poke());
  let rules: ForbidRule[] = [];
  const handler = createRouter({
    token,
    anonymous: !(options.tls ?? true),
    recorder,
    reads: new Reads(cluster.store, watches),
    writes,
    deletes: new Deletes(cluster.store, () => cluster.poke()),
    logs,
    forbidden: () => rules,
  });
  const tls = options.tls ?? true;
  const ca = tls ? readFileSync(new URL('./tls/cert.pem', import.meta.url), 'utf8') : null;
  const key = tls ? readFileSync(new URL('./tls/key.pem', import.meta.url), 'utf8') : null;
  const createServer = (listener: (req: IncomingMessage, res: ServerResponse) => void): Server =>
    ca && key ? createHttpsServer({ cert: ca, key }, listener) : createHttpServer(listener);
  let server: Server | null = createServer(handler);
  const port = await listen(server, options.port ?? 0);
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const config = writeKubeconfig(url, token, ca);

  const stopServer = async (): Promise<void> => {
    const s = server;
    if (!s) return;
    server = null;
    logs.endAll();
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };

  return {
    url,
    ca,
    token,
    kubeconfig: config.path,
    cluster,
    calls: recorder.calls,
    expectCall: (call) => recorder.expectCall(call),
    checkExpected: (check) => recorder.checkExpected(check),
    mutations: () => recorder.mutations(),
    expireWatches: () => watches.expire(),
    closeWatches: () => watches.closeAll(),
    bookmark: () => watches.bookmark(),
    goAway: stopServer,
    async comeBack() {
      if (server) return;
      server = createServer(handler);
      await listen(server, port);
    },
    forbid(rule) {
      rules = [...rules, rule];
      return () => {
        rules = rules.filter((r) => r !== rule);
      };
    },
    openWatches: () => watches.open,
    async close() {
      cluster.stop();
      watches.closeAll();
      await stopServer();
      rmSync(config.dir, { recursive: true, force: true });
    },
  };
}
