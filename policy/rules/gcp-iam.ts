/**
 * Google Cloud IAM: no primitive role (owner, editor, viewer) anywhere; nothing public except
 * `roles/run.invoker` for allUsers on a Cloud Run service (the events route, which checks its API
 * key in code, as API Gateway's authorizer does on AWS); every function runs as its own service
 * account (never the default compute account) with an explicit ingress setting.
 */
import { GCP_IAM_TYPES, GCP_TYPES } from "./gcp-types";
import type { ResourceRule } from "./types";

export const PRIMITIVE_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];
const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

function members(props: Record<string, any>): string[] {
    return [props.member, ...(Array.isArray(props.members) ? props.members : [])].filter((m): m is string => typeof m === "string");
}

export const gcpNoPrimitiveRoles: ResourceRule = {
    name: "gcp-no-primitive-roles",
    description: "No IAM grant of a primitive role (roles/owner, roles/editor, roles/viewer).",
    types: GCP_IAM_TYPES,
    check: (r) => (PRIMITIVE_ROLES.includes(r.props.role) ? [`grants the primitive role ${r.props.role}; grant a predefined role on the one resource instead`] : []),
};

export const gcpNothingPublic: ResourceRule = {
    name: "gcp-nothing-public",
    description: "allUsers / allAuthenticatedUsers appear only as roles/run.invoker on a Cloud Run service (the API-key-checked events route).",
    types: GCP_IAM_TYPES,
    check: (r) => {
        const publicMembers = members(r.props).filter((m) => PUBLIC_MEMBERS.includes(m));
        if (publicMembers.length === 0) return [];
        if (r.type === GCP_TYPES.runServiceIamMember && r.props.role === "roles/run.invoker") return [];
        return [`grants ${r.props.role} to ${publicMembers.join(", ")}`];
    },
};

export const gcpFunctionIdentity: ResourceRule = {
    name: "gcp-function-own-identity",
    description: "Every Cloud Function (2nd gen) sets its own service account (not the default compute account) and an explicit ingress setting.",
    types: [GCP_TYPES.function],
    check: (r) => {
        const config = r.props.serviceConfig ?? {};
        const email: unknown = config.serviceAccountEmail;
        return [
            ...(typeof email === "string" && email !== "" && !email.endsWith("-compute@developer.gserviceaccount.com") ? [] : ["no dedicated serviceConfig.serviceAccountEmail (the default compute account has the editor role)"]),
            ...(typeof config.ingressSettings === "string" ? [] : ["no serviceConfig.ingressSettings"]),
        ];
    },
};
