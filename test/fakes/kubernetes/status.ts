// metav1.Status failures, as the API server writes them (k8s.io/apimachinery
// pkg/api/errors/errors.go: NewNotFound, NewForbidden, NewResourceExpired, NewConflict, ...).
import type { JsonObject } from './json.ts';

export type Reason =
  | 'NotFound'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Expired'
  | 'Conflict'
  | 'AlreadyExists'
  | 'InternalError'
  | 'Invalid'
  | 'BadRequest'
  | 'UnsupportedMediaType'
  | 'MethodNotAllowed'
  | 'Timeout';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason: string; message: string; field: string }[];
}

/** A failure an HTTP handler throws; the router writes it as a Status body with its code. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: Reason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toJSON(): JsonObject {
    const body: JsonObject = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
    };
    if (this.details) body.details = this.details as JsonObject;
    body.code = this.code;
    return body;
  }
}

/** `deployments.apps` / `pods`: how messages name a resource of a group. */
export function qualified(resource: string, group: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

export function notFound(resource: string, group: string, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, {
    name,
    group: group || undefined,
    kind: resource,
  });
}

export function tooOld(requested: number, oldest: number): StatusError {
  // watch_cache.go: errors.NewResourceExpired(fmt.Sprintf("too old resource version: %d (%d)", ...))
  return new StatusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

export function conflict(resource: string, group: string, name: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: group || undefined, kind: resource },
  );
}

/** `Deployment.apps "shop" is invalid: spec.replicas: Invalid value: ...` (NewInvalid). */
export function invalid(
  kind: string,
  group: string,
  name: string,
  field: string,
  message: string,
): StatusError {
  return new StatusError(
    422,
    'Invalid',
    `${qualified(kind, group)} "${name}" is invalid: ${field}: ${message}`,
    {
      name,
      group,
      kind,
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    },
  );
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export const pageNotFound = (): StatusError =>
  new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
