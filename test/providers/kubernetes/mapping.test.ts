// The Kubernetes provider's reading of the API's objects, on recorded payloads (k9s's test data)
// and variants derived from them as the Deployment controller would write them.
import { describe, expect, test } from 'vitest';
import { ProviderError } from '../../../src/engine/provider-error.ts';
import { containerSummary } from '../../../src/providers/kubernetes/pods.ts';
import { revisionsOf } from '../../../src/providers/kubernetes/revisions.ts';
import { rolloutStatus } from '../../../src/providers/kubernetes/rollout-status.ts';
import { toSnapshot } from '../../../src/providers/kubernetes/to-snapshot.ts';
import { configWarning, planUndo } from '../../../src/providers/kubernetes/undo.ts';
import { crashLooping, deployment, derive, pod, replicaSet, revision } from './objects.ts';

const at = Date.UTC(2019, 6, 14, 6);
const extras = { events: [], metrics: [], at };

/** The Deployment mid-rollout to revision 2: its status as the controller would write it. */
function rollingTo2(status: Record<string, unknown>, generation = 2) {
  return derive(deployment(), {
    metadata: { generation, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 3 },
    status: { observedGeneration: 2, ...status },
  });
}

describe('rollout status, in kubectl rollout status order and words', () => {
  test.each([
    ['a finished rollout (k9s dp.json)', deployment(), true, 'deployment "icx-db" successfully rolled out'],
    [
      'a spec not yet observed',
      rollingTo2({}, 3),
      false,
      'Waiting for deployment spec update to be observed...',
    ],
    [
      'replicas not yet updated',
      rollingTo2({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
      false,
      'Waiting for deployment "icx-db" rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      'old replicas terminating',
      rollingTo2({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
      false,
      'Waiting for deployment "icx-db" rollout to finish: 1 old replicas are pending termination...',
    ],
    [
      'updated replicas not yet available',
      rollingTo2({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      false,
      'Waiting for deployment "icx-db" rollout to finish: 2 of 3 updated replicas are available...',
    ],
  ])('%s', (_name, d, done, message) => {
    expect(rolloutStatus(d)).toMatchObject({ done, failed: false, message });
  });

  test('ProgressDeadlineExceeded is a failure, checked before the replica counts', () => {
    const d = rollingTo2({
      replicas: 4,
      updatedReplicas: 1,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "x" has timed out progressing.',
        },
      ],
    });
    expect(rolloutStatus(d)).toEqual({
      done: false,
      failed: true,
      message: 'deployment "icx-db" exceeded its progress deadline',
    });
  });
});

describe('versions are ReplicaSet revisions', () => {
  test('the recorded Deployment is v1, active, its image the version image', () => {
    const s = toSnapshot({ deployment: deployment(), replicaSets: [replicaSet()], pods: [] }, extras);
    expect(s.version).toBe(1);
    expect(s.rollout).toBeNull();
    expect(s.history).toEqual([
      expect.objectContaining({
        version: 1,
        kind: 'deploy',
        outcome: 'active',
        image: 'postgres:9.2-alpine',
        specHash: '7d4b578979',
      }),
    ]);
    expect(s.inputs.queued).toBeNull();
    expect(s.inputsNote).toMatch(/does not report requests/);
  });

  test('B1: a revision-history annotation makes a rollback of its old number; restartedAt alone a rollover', () => {
    const restarted = derive(revision(3, 'postgres:9.3'), {
      spec: {
        template: {
          metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2019-07-14T06:00:00Z' } },
        },
      },
    });
    const revisions = revisionsOf([
      revision(2, 'postgres:9.3'),
      restarted,
      derive(revision(4, 'postgres:9.2-alpine'), {
        metadata: { annotations: { 'deployment.kubernetes.io/revision-history': '1' } },
      }),
    ]);
    expect(revisions.map((r) => [r.number, r.kind, r.rollbackOf])).toEqual([
      [4, 'rollback', 1],
      [3, 'rollover', null],
      [2, 'deploy', null],
    ]);
  });
});

describe('pods are containers, with the reason kubectl describe gives', () => {
  const rs = replicaSet();
  test.each([
    ['Ready=True', pod(rs, 'p'), 'ready', null],
    [
      'deletionTimestamp set (Terminating)',
      pod(rs, 'p', { metadata: { deletionTimestamp: '2019-07-14T06:00:00Z' } }),
      'draining',
      null,
    ],
    ['crash-looping', crashLooping(rs, 'p', 4, 3), 'starting', 'CrashLoopBackOff (exited 3)'],
    [
      'unschedulable',
      pod(rs, 'p', {
        status: {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
          containerStatuses: [],
        },
      }),
      'starting',
      'Unschedulable',
    ],
    [
      'image pull failing',
      pod(rs, 'p', {
        status: {
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            {
              name: 'icx-db',
              ready: false,
              restartCount: 0,
              image: '',
              imageID: '',
              state: { waiting: { reason: 'ImagePullBackOff' } },
            },
          ],
        },
      }),
      'starting',
      'ImagePullBackOff',
    ],
  ])('%s', (_name, p, state, reason) => {
    expect(containerSummary(p, 'icx-db', 1)).toMatchObject({
      state,
      reason,
      location: 'node-1',
      inFlight: null,
    });
  });
});

describe('a rollout in progress', () => {
  const old = revision(1, 'postgres:9.2-alpine', { status: { replicas: 2, availableReplicas: 2 } });
  const next = revision(2, 'postgres:9.3', { status: { replicas: 2, availableReplicas: 1 } });
  const d = rollingTo2({ replicas: 4, updatedReplicas: 2, availableReplicas: 3 });

  test('S1: old and new pods by revision, old first; progress in kubectl words', () => {
    const s = toSnapshot(
      {
        deployment: d,
        replicaSets: [old, next],
        pods: [
          pod(old, 'a-1'),
          pod(old, 'a-2', { metadata: { deletionTimestamp: '2019-07-14T06:00:00Z' } }),
          pod(next, 'b-1'),
          crashLooping(next, 'b-2', 1),
        ],
      },
      extras,
    );
    expect(s.version).toBe(1);
    expect(s.rollout).toMatchObject({
      from: 1,
      to: 2,
      kind: 'deploy',
      ready: 1,
      target: 3,
      phase: 'rolling',
    });
    expect(s.rollout?.message).toBe(
      'Waiting for deployment "icx-db" rollout to finish: 2 out of 3 new replicas have been updated...',
    );
    expect(s.containers.map((c) => [c.id, c.version, c.state])).toEqual([
      ['a-1', 1, 'ready'],
      ['a-2', 1, 'draining'],
      ['b-1', 2, 'ready'],
      ['b-2', 2, 'starting'],
    ]);
    expect(s.history.map((v) => [v.version, v.outcome])).toEqual([
      [2, 'rolling'],
      [1, 'superseded'],
    ]);
    expect(s.rollbackTarget).toBe(1);
  });

  test('H1: a new revision crash-looping past the threshold is failed, the old one serves', () => {
    const s = toSnapshot(
      { deployment: d, replicaSets: [old, next], pods: [pod(old, 'a-1'), crashLooping(next, 'b-2', 3)] },
      extras,
    );
    expect(s.failed).toEqual({ version: 2, reason: 'pod b-2 restarted 3 times (crash loop past 3)' });
    expect(s.rollout).toBeNull();
    expect(s.version).toBe(1);
    expect(s.history[0]).toMatchObject({ version: 2, outcome: 'failed' });
  });

  test('ProgressDeadlineExceeded: failed with kubectl message', () => {
    const late = derive(d, {
      status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] },
    });
    const s = toSnapshot({ deployment: late, replicaSets: [old, next], pods: [] }, extras);
    expect(s.failed).toEqual({ version: 2, reason: 'deployment "icx-db" exceeded its progress deadline' });
  });
});

describe('rollback: kubectl rollout undo, planned client side', () => {
  const current = derive(deployment(), {
    metadata: { annotations: { 'deployment.kubernetes.io/revision': '2', 'team.example/owner': 'ops' } },
    spec: {
      template: {
        spec: {
          containers: [{ ...deployment().spec!.template!.spec!.containers[0], image: 'postgres:9.3' }],
        },
      },
    },
  });
  const v1 = derive(replicaSet(), { metadata: { annotations: { 'kubernetes.io/change-cause': 'first' } } });
  const v2 = revision(2, 'postgres:9.3');

  test('B1: to the previous revision: one JSON patch of the template (hash label dropped) and the annotations', () => {
    const plan = planUndo(current, [v1, v2], undefined);
    expect(plan.skip).toBe(false);
    if (plan.skip) return;
    expect(plan.revision).toBe(1);
    const [template, annotations] = plan.patch as {
      op: string;
      path: string;
      value: Record<string, never>;
    }[];
    expect(template).toMatchObject({ op: 'replace', path: '/spec/template' });
    expect(template!.value).toMatchObject({ metadata: { labels: { app: 'icx-db' } } });
    expect(JSON.stringify(template!.value)).not.toContain('pod-template-hash');
    // The Deployment's own revision stays; the RS's annotations (change-cause, desired-replicas skipped) come back.
    expect(annotations).toEqual({
      op: 'replace',
      path: '/metadata/annotations',
      value: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'first' },
    });
  });

  test('B1: a rollback to the running template is skipped with kubectl words', () => {
    expect(planUndo(current, [v1, v2], 2)).toMatchObject({
      skip: true,
      message: 'skipped rollback (current template already matches revision 2)',
    });
  });

  test.each([
    [
      derive(current, { spec: { paused: true } }),
      1,
      'conflict',
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/icx-db' and try again",
    ],
    [current, 7, 'not-found', 'unable to find specified revision 7 in history'],
  ])('refusals: %#', (d, to, code, message) => {
    try {
      planUndo(d, [v1, v2], to);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code, message });
    }
  });

  test('B2: the Secrets and ConfigMaps the target reads are named, never their values', () => {
    expect(configWarning(v1.spec?.template, 1)).toBe(
      'v1 reads Secrets icx-creds: a rollback restores the pod template, not their contents, which stay as they are now',
    );
  });
});
