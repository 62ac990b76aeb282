// The fake's Deployment controller against the rules of k8s.io/kubernetes
// pkg/controller/deployment: surge/unavailable fenceposts, Recreate, revisions coming back,
// revisionHistoryLimit, minReadySeconds, and the scripted kubelet's pod states.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from './cluster.ts';
import type { Deployment, Pod, ReplicaSet } from './types.ts';

const NS = 'shop-ns';
let cluster: Cluster;

beforeEach(() => {
  cluster = new Cluster();
});

afterEach(() => {
  cluster.stop();
});

/** After every write: pods that exist (Terminating included) and pods available, of the Deployment. */
function trackCapacity(name: string): { total: number[]; available: number[] } {
  const seen = { total: [] as number[], available: [] as number[] };
  cluster.store.onEvent((e) => {
    if (e.resource !== 'replicasets' && e.resource !== 'pods') return;
    const sets = cluster.replicaSets(NS, name);
    seen.total.push(sets.reduce((n, rs) => n + rs.spec.replicas, 0));
    seen.available.push(sets.reduce((n, rs) => n + (rs.status.availableReplicas ?? 0), 0));
  });
  return seen;
}

describe('the fake Deployment controller', () => {
  it('rolls with 25%/25% of 3: surge rounds up to 1, unavailable down to 0 (4 pods at most, 3 available)', async () => {
    cluster.createDeployment({ name: 'shop', replicas: 3, image: 'shop:1' });
    await cluster.rolledOut(NS, 'shop');
    const seen = trackCapacity('shop');
    cluster.setImage(NS, 'shop', 'shop:2');
    await cluster.rolledOut(NS, 'shop');
    expect(Math.max(...seen.total)).toBe(4);
    expect(Math.min(...seen.available)).toBe(3);
    const [first, second] = cluster.replicaSets(NS, 'shop');
    expect(first?.metadata.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(second?.metadata.labels?.['pod-template-hash']).toBe(second?.metadata.name.slice('shop-'.length));
    expect(second?.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'shop',
        controller: true,
        blockOwnerDeletion: true,
      }),
    ]);
    const d = cluster.deployment(NS, 'shop');
    expect(d.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${second?.metadata.name}" has successfully progressed.`,
    });
  });

  it('when both fenceposts resolve to 0 (0% surge, 10% of 3 unavailable), one pod may be unavailable', async () => {
    cluster.createDeployment({
      name: 'shop',
      replicas: 3,
      image: 'shop:1',
      maxSurge: '0%',
      maxUnavailable: '10%',
    });
    await cluster.rolledOut(NS, 'shop');
    const seen = trackCapacity('shop');
    cluster.setImage(NS, 'shop', 'shop:2');
    await cluster.rolledOut(NS, 'shop');
    expect(Math.max(...seen.total)).toBe(3);
    expect(Math.min(...seen.available)).toBe(2);
  });

  it('scaled mid-rollout, it scales old and new ReplicaSets proportionally (sync.go scale)', async () => {
    cluster.createDeployment({ name: 'shop', replicas: 10, image: 'shop:1' });
    await cluster.rolledOut(NS, 'shop');
    cluster.kubelet.behave('shop:2', { readyAfterMs: 60_000 });
    cluster.setImage(NS, 'shop', 'shop:2');
    const sizes = () => cluster.replicaSets(NS, 'shop').map((rs) => rs.spec.replicas);
    // surge ceil(2.5) = 3, unavailable floor(2.5) = 2: new 3, old 10 → 8, new 5; then stuck.
    await cluster.until(() => sizes().join() === '8,5');
    const d = cluster.deployment(NS, 'shop');
    d.spec.replicas = 20;
    cluster.store.update('deployments', d);
    cluster.poke();
    // 12 more (20 + 5 surge − 13), by each one's share of max-replicas 13: 8·25/13 → 15, 5·25/13 → 10.
    await cluster.until(() => sizes().join() === '15,10');
    for (const rs of cluster.replicaSets(NS, 'shop'))
      expect(rs.metadata.annotations).toMatchObject({
        'deployment.kubernetes.io/desired-replicas': '20',
        'deployment.kubernetes.io/max-replicas': '25',
      });
    cluster.kubelet.behave('shop:2', {});
    await cluster.rolledOut(NS, 'shop');
    expect(sizes()).toEqual([0, 20]);
  });

  it('Recreate starts no new pod until every old one, Terminating too, is gone', async () => {
    cluster.createDeployment({ name: 'shop', replicas: 2, image: 'shop:1', strategy: 'Recreate' });
    await cluster.rolledOut(NS, 'shop');
    const order: string[] = [];
    cluster.store.onEvent((e) => {
      if (e.resource !== 'pods' || (e.type !== 'ADDED' && e.type !== 'DELETED')) return;
      order.push(`${e.type} ${(e.object as Pod).spec.containers[0]?.image}`);
    });
    cluster.setImage(NS, 'shop', 'shop:2');
    await cluster.rolledOut(NS, 'shop');
    expect(order).toEqual(['DELETED shop:1', 'DELETED shop:1', 'ADDED shop:2', 'ADDED shop:2']);
  });

  it('a template that comes back makes its old ReplicaSet new again at max+1, with revision-history', async () => {
    cluster.createDeployment({ name: 'shop', replicas: 1, image: 'shop:1' });
    for (const image of ['shop:2', 'shop:1', 'shop:2']) {
      await cluster.rolledOut(NS, 'shop');
      cluster.setImage(NS, 'shop', image);
    }
    await cluster.rolledOut(NS, 'shop');
    const sets = cluster.replicaSets(NS, 'shop');
    expect(sets.map((rs) => [rs.spec.template.spec.containers[0]?.image, rs.metadata.annotations])).toEqual([
      [
        'shop:1',
        expect.objectContaining({
          'deployment.kubernetes.io/revision': '3',
          'deployment.kubernetes.io/revision-history': '1',
        }),
      ],
      [
        'shop:2',
        expect.objectContaining({
          'deployment.kubernetes.io/revision': '4',
          'deployment.kubernetes.io/revision-history': '2',
        }),
      ],
    ]);
    expect(cluster.deployment(NS, 'shop').metadata.annotations?.['deployment.kubernetes.io/revision']).toBe(
      '4',
    );
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest idle ones', async () => {
    cluster.createDeployment({ name: 'shop', replicas: 1, image: 'shop:1', revisionHistoryLimit: 1 });
    for (const image of ['shop:2', 'shop:3', 'shop:4']) {
      await cluster.rolledOut(NS, 'shop');
      cluster.setImage(NS, 'shop', image);
    }
    await cluster.rolledOut(NS, 'shop');
    await cluster.until(() => cluster.replicaSets(NS, 'shop').length === 2);
    const images = cluster.replicaSets(NS, 'shop').map((rs) => rs.spec.template.spec.containers[0]?.image);
    expect(images).toEqual(['shop:3', 'shop:4']);
  });

  it('counts a pod available only minReadySeconds after it is Ready', async () => {
    cluster.createDeployment({ name: 'shop', replicas: 1, image: 'shop:1', minReadySeconds: 1 });
    await cluster.until(() => (cluster.deployment(NS, 'shop').status.readyReplicas ?? 0) === 1);
    const d: Deployment = cluster.deployment(NS, 'shop');
    expect(d.status.availableReplicas ?? 0).toBe(0);
    expect(d.status.unavailableReplicas).toBe(1);
    await cluster.rolledOut(NS, 'shop');
    const rs: ReplicaSet = cluster.replicaSets(NS, 'shop')[0]!;
    expect(rs.spec.minReadySeconds).toBe(1);
    const ready = cluster.pods(NS, 'shop')[0]!.status.conditions?.find((c) => c.type === 'Ready');
    expect(Date.now() - Date.parse(ready!.lastTransitionTime!)).toBeGreaterThanOrEqual(1000);
  });

  it('scripts pods: crash loop, image pull failure, unschedulable, each as the kubelet reports it', async () => {
    cluster.kubelet.behave('crash:1', { crashLoop: true, exitCode: 137, terminatedReason: 'OOMKilled' });
    cluster.kubelet.behave('nopull:1', { imagePull: 'fail' });
    cluster.kubelet.behave('huge:1', { unschedulable: true });
    for (const name of ['crash', 'nopull', 'huge']) cluster.createDeployment({ name, image: `${name}:1` });
    const pod = (name: string) => cluster.pods(NS, name)[0];
    const waiting = (name: string) => pod(name)?.status.containerStatuses?.[0]?.state.waiting?.reason;
    await cluster.until(
      () => waiting('crash') === 'CrashLoopBackOff' && waiting('nopull') === 'ImagePullBackOff',
    );
    const crash = pod('crash')!.status;
    expect(crash.phase).toBe('Running');
    expect(crash.containerStatuses?.[0]).toMatchObject({
      ready: false,
      restartCount: expect.any(Number),
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
    });
    expect(crash.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [crash]',
    });
    expect(pod('nopull')!.status.phase).toBe('Pending');
    expect(pod('nopull')!.status.containerStatuses?.[0]?.state.waiting?.message).toBe(
      'Back-off pulling image "nopull:1"',
    );
    expect(pod('huge')!.spec.nodeName).toBeUndefined();
    expect(pod('huge')!.status.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }),
    ]);
  });

  it('scale to 0 drains every pod through Terminating and keeps the ReplicaSet', async () => {
    cluster.createDeployment({ name: 'shop', replicas: 2, image: 'shop:1' });
    await cluster.rolledOut(NS, 'shop');
    const d = cluster.deployment(NS, 'shop');
    d.spec.replicas = 0;
    cluster.store.update('deployments', d);
    cluster.poke();
    await cluster.until(() => cluster.pods(NS, 'shop').every((p) => p.metadata.deletionTimestamp));
    expect(cluster.pods(NS, 'shop')).toHaveLength(2);
    await cluster.until(() => cluster.pods(NS, 'shop').length === 0);
    expect(cluster.replicaSets(NS, 'shop').map((rs) => [rs.spec.replicas, rs.status.replicas])).toEqual([
      [0, 0],
    ]);
  });
});
