// Writes to Deployments through the API: PATCH (three content types), PUT, POST, and the
// /scale subresource (autoscaling/v1 Scale). Each goes through the checks of
// pkg/apis/apps/validation/validation.go that a kubectl or client-node user can trip, then the
// defaults, then the store (which keeps status and moves generation as the registry does).
import { isObject, type Json, type JsonObject } from './json.ts';
import { defaultDeployment } from './objects.ts';
import { applyPatch, MERGE_PATCH } from './patch.ts';
import { selectorString } from './selectors.ts';
import { badRequest, conflict, invalid, notFound, StatusError } from './status.ts';
import type { Store } from './store.ts';
import type { Deployment } from './types.ts';

const deploymentsNotFound = (name: string) => notFound('deployments', 'apps', name);

/** validation.go ValidateDeployment / ValidateDeploymentUpdate, for the fields clients change. */
export function validateDeployment(d: Deployment, current?: Deployment): void {
  const name = d.metadata.name;
  const fail = (field: string, message: string) => {
    throw invalid('Deployment', 'apps', name, field, message);
  };
  const spec = d.spec;
  if (!isObject(spec as unknown)) fail('spec', 'Required value');
  if (!Number.isInteger(spec.replicas) || spec.replicas < 0)
    fail(
      'spec.replicas',
      `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0`,
    );
  const labels = spec.template?.metadata?.labels ?? {};
  const selector = spec.selector?.matchLabels ?? {};
  if (current && selectorString(selector) !== selectorString(current.spec.selector.matchLabels))
    fail('spec.selector', `Invalid value: ${JSON.stringify(spec.selector)}: field is immutable`);
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v))
    fail(
      'spec.template.metadata.labels',
      `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
    );
  const containers = spec.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    fail('spec.template.spec.containers', 'Required value');
  containers.forEach((c, i) => {
    if (!c.name) fail(`spec.template.spec.containers[${i}].name`, 'Required value');
    if (!c.image || !String(c.image).trim())
      fail(`spec.template.spec.containers[${i}].image`, 'Required value');
  });
  const strategy = spec.strategy;
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate)
    fail('spec.strategy.rollingUpdate', "Forbidden: may not be specified when strategy `type` is 'Recreate'");
  if (strategy?.type !== 'Recreate' && strategy?.type !== 'RollingUpdate' && strategy?.type !== undefined)
    fail(
      'spec.strategy.type',
      `Unsupported value: "${strategy?.type}": supported values: "Recreate", "RollingUpdate"`,
    );
  const surge = strategy?.rollingUpdate?.maxSurge;
  const unavailable = strategy?.rollingUpdate?.maxUnavailable;
  const zero = (v: unknown) => v === 0 || v === '0%';
  if (strategy?.type === 'RollingUpdate' && zero(surge) && zero(unavailable))
    fail('spec.strategy.rollingUpdate.maxUnavailable', 'Invalid value: 0: may not be 0 when `maxSurge` is 0');
}

export class DeploymentWrites {
  constructor(
    private readonly store: Store,
    private readonly changed: () => void,
  ) {}

  private current(namespace: string, name: string): Deployment {
    const d = this.store.get<Deployment>('deployments', namespace, name);
    if (!d) throw deploymentsNotFound(name);
    return d;
  }

  /** The result of applying `body` to what is stored; stored unless dryRun. */
  patch(namespace: string, name: string, contentType: string, body: Json, dryRun: boolean): Deployment {
    const current = this.current(namespace, name);
    const patched = applyPatch(current as unknown as JsonObject, contentType, body) as unknown as Deployment;
    return this.write(current, patched, dryRun);
  }

  replace(namespace: string, name: string, body: Json, dryRun: boolean): Deployment {
    const current = this.current(namespace, name);
    if (!isObject(body) || !isObject(body.metadata)) throw badRequest('the body must be a Deployment');
    return this.write(current, body as unknown as Deployment, dryRun);
  }

  create(namespace: string, body: Json, dryRun: boolean): Deployment {
    if (!isObject(body) || !isObject(body.metadata) || typeof body.metadata.name !== 'string')
      throw invalid(
        'Deployment',
        'apps',
        '',
        'metadata.name',
        'Required value: name or generateName is required',
      );
    const d = body as unknown as Deployment;
    const name = d.metadata.name;
    if (this.store.get('deployments', namespace, name))
      throw new StatusError(409, 'AlreadyExists', `deployments.apps "${name}" already exists`, {
        name,
        group: 'apps',
        kind: 'deployments',
      });
    d.metadata = { ...d.metadata, namespace, uid: '', creationTimestamp: '' };
    delete d.metadata.resourceVersion;
    d.status = {};
    defaultDeployment(d);
    validateDeployment(d);
    if (dryRun) return d;
    const created = this.store.create('deployments', d);
    this.changed();
    return created;
  }

  private write(current: Deployment, next: Deployment, dryRun: boolean): Deployment {
    const meta = next.metadata ?? {};
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion)
      throw conflict('deployments', 'apps', current.metadata.name);
    if (meta.name !== current.metadata.name)
      throw badRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${current.metadata.name})`,
      );
    // Fields the server owns come from the stored object whatever the request says.
    next.metadata = {
      ...meta,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: current.metadata.generation,
      resourceVersion: current.metadata.resourceVersion,
    };
    next.apiVersion = 'apps/v1';
    next.kind = 'Deployment';
    next.status = current.status;
    defaultDeployment(next);
    validateDeployment(next, current);
    if (dryRun) return next;
    const stored = this.store.update('deployments', next);
    this.changed();
    return stored;
  }

  /** The autoscaling/v1 Scale of a Deployment (registry/apps/deployment/storage scaleFromDeployment). */
  scale(namespace: string, name: string): JsonObject {
    const d = this.current(namespace, name);
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name,
        namespace,
        uid: d.metadata.uid,
        resourceVersion: d.metadata.resourceVersion ?? '',
        creationTimestamp: d.metadata.creationTimestamp,
      },
      spec: { replicas: d.spec.replicas },
      status: { replicas: d.status.replicas ?? 0, selector: selectorString(d.spec.selector.matchLabels) },
    };
  }

  /** PATCH (or, with contentType null, PUT) of the Scale: only spec.replicas takes effect. */
  setScale(
    namespace: string,
    name: string,
    contentType: string | null,
    body: Json,
    dryRun: boolean,
  ): JsonObject {
    const current = this.scale(namespace, name);
    const next = contentType === null ? body : applyPatch(current, contentType ?? MERGE_PATCH, body);
    if (!isObject(next) || !isObject(next.spec)) throw badRequest('the body must be a Scale');
    const rv = isObject(next.metadata) ? next.metadata.resourceVersion : undefined;
    if (rv && rv !== (current.metadata as JsonObject).resourceVersion)
      throw conflict('deployments', 'apps', name);
    const replicas = next.spec.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
      throw invalid(
        'Scale',
        'autoscaling',
        name,
        'spec.replicas',
        `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      );
    const d = this.current(namespace, name);
    d.spec.replicas = replicas;
    if (!dryRun) {
      this.store.update('deployments', d);
      this.changed();
    }
    return dryRun ? { ...current, spec: { replicas } } : this.scale(namespace, name);
  }
}
