/**
 * The `game-analytics-security` policy pack: `pulumi preview --policy-pack policy` (from the
 * repository root) checks every resource of the stack against the rules in `policy/rules`.
 */
import { PolicyPack } from "@pulumi/policy";
import { SECURITY_POLICIES } from "./policies";

new PolicyPack("game-analytics-security", { policies: SECURITY_POLICIES });
