/** The Glue schedule rule: cron(...) of 6 fields, no faster than every 5 minutes; failing and passing examples. */
import * as assert from "node:assert/strict";
import { checkResources } from "../../policy/rules";
import { shortestGapMinutes } from "../../policy/rules/glue-schedule";
import type { ResourceFacts } from "../../policy/rules/types";

const trigger = (schedule: string | undefined, type = "SCHEDULED"): ResourceFacts => ({
    type: "aws:glue/trigger:Trigger", name: "etl-start", urn: "urn:pulumi:dev::game-analytics::aws:glue/trigger:Trigger::etl-start", id: "t",
    props: { type, schedule, name: "game-etl-start" },
});
const violations = (schedule: string | undefined, type?: string): string[] =>
    checkResources([trigger(schedule, type)]).filter((v) => v.rule === "glue-schedule-supported").map((v) => v.message);

describe("policy rule glue-schedule-supported", () => {
    it("passes the schedules the pipeline renders, and on-demand triggers", () => {
        for (const schedule of ["cron(0 * * * ? *)", "cron(0/5 * * * ? *)", "cron(30 0/4 * * ? *)", "cron(15 2 ? * MON-FRI *)", "cron(0,30 * * * ? *)"]) {
            assert.deepEqual(violations(schedule), [], schedule);
        }
        assert.deepEqual(violations(undefined, "ON_DEMAND"), []);
    });

    it("fails rate(...), malformed cron and schedules faster than every 5 minutes", () => {
        assert.match(violations("rate(1 hour)")[0]!, /not a Glue cron\(\.\.\.\) expression of 6 fields/);
        assert.match(violations("cron(0 * * * ?)")[0]!, /6 fields/);
        assert.match(violations("cron(* * * * ? *)")[0]!, /runs every 1 minute\(s\); Glue refuses schedules faster than every 5 minutes/);
        assert.match(violations("cron(0/2 * * * ? *)")[0]!, /every 2 minute/);
        assert.match(violations("cron(0,58 * * * ? *)")[0]!, /every 2 minute/);
        assert.match(violations("cron(x * * * ? *)")[0]!, /minutes field "x" is not readable/);
    });

    it("measures the shortest gap across the hour", () => {
        assert.equal(shortestGapMinutes("0/15"), 15);
        assert.equal(shortestGapMinutes("5"), 60);
        assert.equal(shortestGapMinutes("10-20/5"), 5);
        assert.equal(shortestGapMinutes("0,58"), 2);
    });
});
