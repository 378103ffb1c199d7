/**
 * Log retention: every log group expires its events, and every Lambda function logs to a log
 * group the stack manages (otherwise Lambda creates `/aws/lambda/<name>` itself, never expiring).
 */
import { label, ofType } from "./relations";
import { ResourceRule, StackRule, TYPES, Violation } from "./types";

export const logGroupRetention: ResourceRule = {
    name: "log-group-retention",
    description: "Every CloudWatch log group has retentionInDays set (events expire).",
    types: [TYPES.logGroup],
    check: ({ props }) => typeof props.retentionInDays === "number" && props.retentionInDays > 0
        ? []
        : ["log group never expires; set retentionInDays (e.g. 30)"],
};

export const lambdaLogGroupManaged: StackRule = {
    name: "lambda-log-group-managed",
    description: "Every Lambda function writes to a log group of the stack (loggingConfig.logGroup or /aws/lambda/<name>), so its retention applies.",
    check: (resources) => {
        const logGroups = ofType(resources, TYPES.logGroup);
        const violations: Violation[] = [];
        for (const fn of ofType(resources, TYPES.lambdaFunction)) {
            const configured = fn.props.loggingConfig?.logGroup;
            const target = typeof configured === "string" && configured !== "" ? configured : `/aws/lambda/${fn.props.name}`;
            const dependencies = fn.propertyDependencies?.loggingConfig ?? [];
            const managed = logGroups.some((g) => g.props.name === target || (g.urn !== undefined && dependencies.includes(g.urn)));
            if (!managed) {
                violations.push({ urn: fn.urn, message: `${label(fn)}: logs to "${target}", which is not a log group of this stack; create it with retentionInDays` });
            }
        }
        return violations;
    },
};
