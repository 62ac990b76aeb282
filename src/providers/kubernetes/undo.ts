// kubectl rollout undo, client side, as kubectl does it (polymorphichelpers/rollback.go):
// pick the ReplicaSet of the revision, refuse a paused Deployment, skip an equal template, then
// one JSON patch replacing /spec/template and /metadata/annotations.
import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { ProviderError } from '../../engine/provider-error.ts';
import { annotations, podTemplateHash, revisionOf, templateKey } from './objects.ts';

/** Deployment annotations undo keeps as they are (kubectl's annotationsToSkip). */
const skipped = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  annotations.revision,
  annotations.revisionHistory,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export type UndoPlan =
  | { skip: true; revision: number; message: string }
  | { skip: false; revision: number; patch: unknown[]; template: V1PodTemplateSpec };

export function planUndo(
  deployment: V1Deployment,
  replicaSets: V1ReplicaSet[],
  to: number | undefined,
): UndoPlan {
  const name = deployment.metadata?.name ?? '';
  let target: V1ReplicaSet | undefined;
  if (to === undefined) {
    // Revision 0: the second-highest revision (the highest is the current template).
    const sorted = [...replicaSets]
      .filter((rs) => revisionOf(rs) > 0)
      .sort((a, b) => revisionOf(b) - revisionOf(a));
    target = sorted[1];
    if (!target)
      throw new ProviderError('usage', `no rollout history found for deployment "${name}"`, {
        reason: 'no-earlier-version',
      });
  } else {
    target = replicaSets.find((rs) => revisionOf(rs) === to);
    if (!target) {
      throw new ProviderError('not-found', `unable to find specified revision ${to} in history`, {
        reason: 'unknown-version',
      });
    }
  }
  // kubectl finds the revision first, then refuses a paused Deployment.
  if (deployment.spec?.paused) {
    throw new ProviderError(
      'conflict',
      `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`,
      { reason: 'paused' },
    );
  }
  const revision = revisionOf(target);
  if (templateKey(target.spec?.template) === templateKey(deployment.spec?.template)) {
    return {
      skip: true,
      revision,
      message: `skipped rollback (current template already matches revision ${revision})`,
    };
  }
  const template = JSON.parse(JSON.stringify(target.spec?.template ?? {})) as V1PodTemplateSpec;
  if (template.metadata?.labels) delete template.metadata.labels[podTemplateHash];
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(deployment.metadata?.annotations ?? {}))
    if (skipped.has(k)) merged[k] = v;
  for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) if (!skipped.has(k)) merged[k] = v;
  return {
    skip: false,
    revision,
    template,
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: merged },
    ],
  };
}

/**
 * B2 on Kubernetes: the ConfigMaps and Secrets a pod template reads (env, envFrom, volumes).
 * A rollback restores the template, not their contents: names only, never values.
 */
export function configReferences(template: V1PodTemplateSpec | undefined): {
  configMaps: string[];
  secrets: string[];
} {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = template?.spec;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name) configMaps.add(e.configMapRef.name);
      if (e.secretRef?.name) secrets.add(e.secretRef.name);
    }
  }
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  for (const s of spec?.imagePullSecrets ?? []) if (s.name) secrets.add(s.name);
  return { configMaps: [...configMaps].sort(), secrets: [...secrets].sort() };
}

/** The B2 warning for a rollback to `revision`, or null when its template reads none. */
export function configWarning(template: V1PodTemplateSpec | undefined, revision: number): string | null {
  const { configMaps, secrets } = configReferences(template);
  if (configMaps.length === 0 && secrets.length === 0) return null;
  const parts = [
    configMaps.length ? `ConfigMaps ${configMaps.join(', ')}` : '',
    secrets.length ? `Secrets ${secrets.join(', ')}` : '',
  ].filter(Boolean);
  return `v${revision} reads ${parts.join(' and ')}: a rollback restores the pod template, not their contents, which stay as they are now`;
}
