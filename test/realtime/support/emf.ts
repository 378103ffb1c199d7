/**
 * Reads EMF log lines back into metric data points, checking each line against the EMF
 * specification's rules as it goes (CloudWatch ignores documents that break them).
 */
import * as assert from "node:assert/strict";

/** One metric value extracted from an EMF line. */
export interface DataPoint {
    namespace: string;
    name: string;
    unit: string;
    value: number;
    timestamp: number;
    /** Dimension name -> value. */
    dimensions: Record<string, string>;
}

/** Parses EMF lines (JSON text) into data points; asserts every line is a valid EMF document. */
export function parseEmfLines(lines: string[]): DataPoint[] {
    const points: DataPoint[] = [];
    for (const line of lines) {
        assert.ok(!line.includes("\n"), "an EMF document must be one line");
        const doc = JSON.parse(line) as Record<string, unknown>;
        const aws = doc._aws as { Timestamp: unknown; CloudWatchMetrics: unknown };
        assert.ok(aws && Number.isInteger(aws.Timestamp), `_aws.Timestamp must be epoch milliseconds: ${line}`);
        assert.ok(Array.isArray(aws.CloudWatchMetrics) && aws.CloudWatchMetrics.length > 0, `_aws.CloudWatchMetrics must be a non-empty array: ${line}`);
        for (const directive of aws.CloudWatchMetrics as Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }>) {
            assert.match(directive.Namespace, /^[A-Za-z0-9.\-_/#:]{1,255}$/);
            assert.ok(directive.Metrics.length <= 100, "at most 100 metrics per directive");
            for (const dimensionSet of directive.Dimensions) {
                assert.ok(dimensionSet.length <= 30, "at most 30 dimensions per set");
                for (const dimension of dimensionSet) {
                    const value = doc[dimension];
                    assert.equal(typeof value, "string", `dimension ${dimension} must be a string member of the document`);
                    assert.match(value as string, /^[\x20-\x7e]{1,1024}$/, `dimension ${dimension} must be 1-1024 printable ASCII characters`);
                }
                for (const metric of directive.Metrics) {
                    const value = doc[metric.Name];
                    assert.equal(typeof value, "number", `metric ${metric.Name} must be a number member of the document`);
                    points.push({
                        namespace: directive.Namespace,
                        name: metric.Name,
                        unit: metric.Unit,
                        value: value as number,
                        timestamp: aws.Timestamp as number,
                        dimensions: Object.fromEntries(dimensionSet.map((dim) => [dim, doc[dim] as string])),
                    });
                }
            }
        }
    }
    return points;
}

/** The value of the one data point named `name` with exactly `dimensions`; fails when absent or ambiguous. */
export function valueOf(points: DataPoint[], name: string, dimensions: Record<string, string> = {}): number {
    const matches = points.filter((p) => p.name === name && sameDimensions(p.dimensions, dimensions));
    assert.equal(matches.length, 1, `expected one ${name} ${JSON.stringify(dimensions)}, found ${matches.length}`);
    return matches[0]!.value;
}

function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
