// The fake checked by @kubernetes/client-node 1.4.0, the client the Kubernetes provider uses:
// reads, each patch content type, /scale, errors as ApiException, and an informer that lists,
// watches, and recovers from a 410 Expired and a server-side close on its own.

import { PassThrough } from 'node:stream';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Log,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeKube, startFakeKube } from './index.ts';

const NS = 'shop-ns';
let fake: FakeKube;
let apps: AppsV1Api;
let core: CoreV1Api;
let kc: KubeConfig;

beforeEach(async () => {
  fake = await startFakeKube();
  fake.cluster.kubelet.behave('shop:1', { logs: ['shop 1 up'] });
  fake.cluster.createDeployment({ name: 'shop', replicas: 2, image: 'shop:1' });
  await fake.cluster.rolledOut(NS, 'shop');
  kc = new KubeConfig();
  kc.loadFromFile(fake.kubeconfig);
  apps = kc.makeApiClient(AppsV1Api);
  core = kc.makeApiClient(CoreV1Api);
});

afterEach(async () => {
  await fake.close();
});

describe('@kubernetes/client-node against the fake', () => {
  it('reads a Deployment and lists its pods by the selector, over TLS with the kubeconfig’s token', async () => {
    expect(kc.getCurrentContext()).toBe('fake');
    expect(kc.getContextObject('fake')?.namespace).toBe(NS);
    const d = await apps.readNamespacedDeployment({ name: 'shop', namespace: NS });
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    const selector = Object.entries(d.spec!.selector.matchLabels!)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = await core.listNamespacedPod({ namespace: NS, labelSelector: selector });
    expect(pods.items.map((p) => p.metadata?.name).sort()).toEqual(
      fake.cluster
        .pods(NS, 'shop')
        .map((p) => p.metadata.name)
        .sort(),
    );
    expect(pods.items[0]?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('patches with each content type: JSON patch by default, strategic merge and merge on request', async () => {
    await apps.patchNamespacedDeployment({
      name: 'shop',
      namespace: NS,
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop:2' }],
    });
    await apps.patchNamespacedDeployment(
      {
        name: 'shop',
        namespace: NS,
        body: {
          spec: { template: { spec: { containers: [{ name: 'shop', env: [{ name: 'A', value: '1' }] }] } } },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const scaled = await apps.patchNamespacedDeploymentScale(
      { name: 'shop', namespace: NS, body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(scaled).toMatchObject({ kind: 'Scale', spec: { replicas: 3 }, status: { selector: 'app=shop' } });
    expect(fake.mutations().map((c) => c.contentType)).toEqual([
      'application/json-patch+json',
      'application/strategic-merge-patch+json',
      'application/merge-patch+json',
    ]);
    const d = fake.cluster.deployment(NS, 'shop');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'shop', image: 'shop:2', env: [{ name: 'A', value: '1' }] }),
    ]);
  });

  it('throws ApiException with the Status for 404 and 403', async () => {
    const missing = await apps
      .readNamespacedDeployment({ name: 'nope', namespace: NS })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiException);
    expect((missing as ApiException<string>).code).toBe(404);
    expect(JSON.parse((missing as ApiException<string>).body)).toMatchObject({
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
    });
    fake.forbid({ method: 'PATCH', path: /\/scale$/, message: 'scaling is frozen' });
    const denied = await apps
      .patchNamespacedDeploymentScale(
        { name: 'shop', namespace: NS, body: { spec: { replicas: 0 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch((e: unknown) => e);
    expect((denied as ApiException<string>).code).toBe(403);
    expect(JSON.parse((denied as ApiException<string>).body)).toMatchObject({ message: 'scaling is frozen' });
    expect(fake.cluster.deployment(NS, 'shop').spec.replicas).toBe(2);
  });

  it('Log follows a container: the scripted lines, then new ones as they come', async () => {
    const pod = fake.cluster.pods(NS, 'shop')[0]!.metadata.name;
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const abort = await new Log(kc).log(NS, pod, 'shop', out, { follow: true, tailLines: 10 });
    try {
      await fake.cluster.until(() => text === 'shop 1 up\n', 5000, 'the scripted line');
      fake.cluster.kubelet.emit('shop:1', 'GET / 200');
      await fake.cluster.until(() => text === 'shop 1 up\nGET / 200\n', 5000, 'the emitted line');
    } finally {
      abort.abort();
    }
    expect(fake.calls.at(-1)).toMatchObject({
      path: `/api/v1/namespaces/${NS}/pods/${pod}/log`,
      query: { container: 'shop', follow: 'true', tailLines: '10' },
    });
  });

  it('an informer keeps its cache current through a 410 Expired and a server-side close', async () => {
    const path = `/apis/apps/v1/namespaces/${NS}/deployments`;
    const informer = makeInformer<V1Deployment>(kc, path, () =>
      apps.listNamespacedDeployment({ namespace: NS }),
    );
    const seen: string[] = [];
    informer.on('update', (d) => seen.push(d.spec?.template.spec?.containers[0]?.image ?? ''));
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    const imageIs = (image: string) => () =>
      informer.get('shop', NS)?.spec?.template.spec?.containers[0]?.image === image;
    try {
      fake.cluster.setImage(NS, 'shop', 'shop:2');
      await fake.cluster.until(imageIs('shop:2'));
      fake.expireWatches();
      fake.cluster.setImage(NS, 'shop', 'shop:3');
      await fake.cluster.until(imageIs('shop:3'));
      fake.closeWatches();
      fake.cluster.setImage(NS, 'shop', 'shop:4');
      await fake.cluster.until(imageIs('shop:4'));
      // ListWatch re-lists on a 410 and re-watches after a clean end by itself (src/cache.ts).
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
    expect(seen).toContain('shop:4');
    const lists = fake.calls.filter((c) => c.path === path && !c.query.watch);
    expect(lists.length).toBeGreaterThanOrEqual(2);
  });
});
