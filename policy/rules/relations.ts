/**
 * Relations between resources, as stack rules need them ("the public access block of this
 * bucket"). A property refers to a resource when the engine recorded it as a dependency of that
 * property (works during preview, when IDs are unknown), or when its value equals one of the
 * resource's identifying values (name, ID or ARN: works after deployment and under mocks).
 */
import { ResourceFacts } from "./types";

/** Whether `child.props[property]` was computed from, or names, `parent`. */
export function refersTo(child: ResourceFacts, property: string, parent: ResourceFacts, parentIdentities: readonly unknown[]): boolean {
    const dependencies = child.propertyDependencies?.[property];
    if (dependencies !== undefined && dependencies.length > 0 && parent.urn !== undefined) {
        return dependencies.includes(parent.urn);
    }
    const value = child.props[property];
    return value !== undefined && parentIdentities.some((identity) => identity !== undefined && identity === value);
}

/** Whether two resources' properties point at the same thing (e.g. both `restApi` of one API). */
export function sameTarget(a: ResourceFacts, propertyA: string, b: ResourceFacts, propertyB: string): boolean {
    const depsA = a.propertyDependencies?.[propertyA];
    const depsB = b.propertyDependencies?.[propertyB];
    if (depsA !== undefined && depsA.length > 0 && depsB !== undefined && depsB.length > 0) {
        return depsA.some((urn) => depsB.includes(urn));
    }
    const valueA = a.props[propertyA];
    return valueA !== undefined && valueA === b.props[propertyB];
}

/** Identifying values of an S3 bucket: its name, ID and ARN. */
export function bucketIdentities(bucket: ResourceFacts): unknown[] {
    return [bucket.id, bucket.props.bucket, bucket.props.id, bucket.props.arn];
}

/** The resources of the given types. */
export function ofType(resources: readonly ResourceFacts[], ...types: string[]): ResourceFacts[] {
    return resources.filter((r) => types.includes(r.type));
}

/** How a resource is named in messages. */
export function label(resource: ResourceFacts): string {
    return `${resource.type.split(":").pop()} "${resource.name}"`;
}
