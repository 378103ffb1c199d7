/**
 * Captures the resource options the program gives each resource (protect, retainOnDelete,
 * deleteBeforeReplace, dependsOn), which Pulumi mocks do not report: a transformation passed to
 * the top component sees every descendant's options as registered.
 */
import * as pulumi from "@pulumi/pulumi";

/** One resource's options, dependencies named `type::name`. */
export interface CapturedOptions {
    type: string;
    name: string;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    dependsOn: string[];
}

/** Records options; `transformation` goes last in the component's `transformations`. */
export class OptionsCapture {
    private readonly names = new Map<pulumi.Resource, string>();
    private readonly pending: Array<{ type: string; name: string; opts: pulumi.ResourceOptions }> = [];

    /** Runs after the component's own transformations (it must be registered last: they run in order). */
    readonly transformation: pulumi.ResourceTransformation = (args) => {
        this.names.set(args.resource, `${args.type}::${args.name}`);
        this.pending.push({ type: args.type, name: args.name, opts: args.opts });
        return undefined;
    };

    /** The options of every custom resource registered so far. */
    all(): CapturedOptions[] {
        return this.pending.filter((p) => !p.type.startsWith("game-analytics:")).map(({ type, name, opts }) => {
            const raw = opts.dependsOn === undefined ? [] : Array.isArray(opts.dependsOn) ? opts.dependsOn : [opts.dependsOn];
            return {
                type, name,
                protect: opts.protect === true,
                retainOnDelete: opts.retainOnDelete === true,
                deleteBeforeReplace: (opts as pulumi.CustomResourceOptions).deleteBeforeReplace === true,
                dependsOn: raw.map((d) => this.names.get(d as pulumi.Resource) ?? "unknown"),
            };
        });
    }

    /** The one resource of `type` whose name ends with `suffix`. */
    one(type: string, suffix: string): CapturedOptions {
        const found = this.all().filter((r) => r.type === type && r.name.endsWith(suffix));
        if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`);
        return found[0]!;
    }
}
