// The fake checked by the real kubectl: `rollout status` follows the fake's Deployment
// controller through a rolling update, a crash-looping revision's progress deadline, a watch
// cut by the server, and a pause (kubectl's own lines, exit codes and messages).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeKube, startFakeKube } from './index.ts';
import { kubectl, startKubectl } from './kubectl.ts';

const NS = 'shop-ns';
let fake: FakeKube;

beforeEach(async () => {
  fake = await startFakeKube();
  fake.cluster.createDeployment({ name: 'shop', replicas: 3, image: 'shop:1' });
  await fake.cluster.rolledOut(NS, 'shop');
});

afterEach(async () => {
  await fake.close();
});

// rollout_status.go's lines, in its order of checks.
const STATUS_LINE =
  /^(Waiting for deployment spec update to be observed\.\.\.|Waiting for deployment "shop" rollout to finish: (\d+ out of 3 new replicas have been updated|\d+ old replicas are pending termination|\d+ of \d+ updated replicas are available)\.\.\.|deployment "shop" successfully rolled out)$/;

describe('kubectl rollout status against the fake', () => {
  it('follows a rolling update to "successfully rolled out" (exit 0), as the model ends it', async () => {
    // New pods are held unready until kubectl is watching, then become ready one by one.
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 60_000 });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    const status = startKubectl(fake, ['rollout', 'status', 'deployment/shop']);
    await status.waitFor(/1 out of 3 new replicas have been updated/);
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 100 });
    const result = await status.done;

    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trim().split('\n');
    for (const line of lines) expect(line).toMatch(STATUS_LINE);
    expect(lines.some((l) => l.includes('new replicas have been updated'))).toBe(true);
    expect(lines.at(-1)).toBe('deployment "shop" successfully rolled out');

    const d = fake.cluster.deployment(NS, 'shop');
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const active = fake.cluster.replicaSets(NS, 'shop').filter((rs) => rs.spec.replicas > 0);
    expect(active.map((rs) => rs.spec.template.spec.containers[0]?.image)).toEqual(['shop:2']);
  });

  it('reports a crash-looping revision as "exceeded its progress deadline" (exit 1); old pods keep serving', async () => {
    fake.cluster.kubelet.behave('shop:bad', { crashLoop: true, exitCode: 3 });
    const patch = { spec: { progressDeadlineSeconds: 1 } };
    await kubectl(fake, ['patch', 'deployment/shop', '-p', JSON.stringify(patch)]);
    fake.cluster.setImage(NS, 'shop', 'shop:bad');
    const result = await kubectl(fake, ['rollout', 'status', 'deployment/shop']);

    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('error: deployment "shop" exceeded its progress deadline');
    const d = fake.cluster.deployment(NS, 'shop');
    const progressing = d.status.conditions?.find((c) => c.type === 'Progressing');
    const newRS = fake.cluster.replicaSets(NS, 'shop').at(-1)!;
    expect(progressing).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`,
    });
    expect(d.status.availableReplicas).toBe(3);

    const pods = await kubectl(fake, ['get', 'pods', '--no-headers']);
    const crashing = fake.cluster
      .pods(NS, 'shop')
      .filter((p) => p.metadata.name.startsWith(newRS.metadata.name));
    expect(crashing.length).toBeGreaterThan(0);
    for (const pod of crashing) {
      const row = pods.stdout.split('\n').find((l) => l.startsWith(pod.metadata.name));
      expect(row).toMatch(/0\/1\s+(CrashLoopBackOff|Running|ContainerCreating)\s/);
    }
    const status = fake.cluster.pods(NS, 'shop').find((p) => p.metadata.name === crashing[0]!.metadata.name)!;
    expect(status.status.containerStatuses?.[0]?.restartCount).toBeGreaterThan(0);
    expect(status.status.containerStatuses?.[0]?.lastState.terminated?.exitCode).toBe(3);
  });

  it('survives a server-side watch timeout: it watches again and still sees the rollout end', async () => {
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 60_000 });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    const status = startKubectl(fake, ['rollout', 'status', 'deployment/shop']);
    await status.waitFor(/new replicas have been updated/);
    const watchesBefore = fake.calls.filter((c) => c.query.watch === 'true').length;
    fake.closeWatches();
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 100 });
    const result = await status.done;

    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('deployment "shop" successfully rolled out');
    const watchesAfter = fake.calls.filter((c) => c.query.watch === 'true').length;
    expect(watchesAfter).toBeGreaterThan(watchesBefore);
  });

  it('survives a 410 Expired mid-rollout: it lists again and still sees the rollout end', async () => {
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 60_000 });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    const status = startKubectl(fake, ['rollout', 'status', 'deployment/shop']);
    await status.waitFor(/new replicas have been updated/);
    const listsBefore = fake.calls.filter(
      (c) => c.method === 'GET' && c.path.endsWith('/deployments') && !c.query.watch,
    );
    fake.expireWatches();
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 100 });
    const result = await status.done;

    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('deployment "shop" successfully rolled out');
    const listsAfter = fake.calls.filter(
      (c) => c.method === 'GET' && c.path.endsWith('/deployments') && !c.query.watch,
    );
    expect(listsAfter.length).toBeGreaterThan(listsBefore.length);
  });

  it('rolls out nothing while paused, with the DeploymentPaused condition, and resumes on resume', async () => {
    const pause = await kubectl(fake, ['rollout', 'pause', 'deployment/shop']);
    expect(pause.stdout.trim()).toBe('deployment.apps/shop paused');
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await fake.cluster.until(() => {
      const d = fake.cluster.deployment(NS, 'shop');
      return (d.status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
    });
    const status = startKubectl(fake, ['rollout', 'status', 'deployment/shop']);
    await status.waitFor(/0 out of 3 new replicas have been updated/);
    expect(fake.cluster.replicaSets(NS, 'shop')).toHaveLength(1);
    expect(fake.cluster.deployment(NS, 'shop').status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }),
    );
    const undo = await kubectl(fake, ['rollout', 'undo', 'deployment/shop', '--to-revision=1']);
    expect(undo.exitCode).toBe(1);
    expect(undo.stderr).toMatch(/cannot rollback a paused deployment/);

    const resume = await kubectl(fake, ['rollout', 'resume', 'deployment/shop']);
    expect(resume.stdout.trim()).toBe('deployment.apps/shop resumed');
    const result = await status.done;
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('deployment "shop" successfully rolled out');
    expect(fake.mutations().map((c) => c.body)).toEqual([
      { spec: { paused: true } },
      { spec: { paused: null } },
    ]);
  });
});
