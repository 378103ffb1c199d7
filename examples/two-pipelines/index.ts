/**
 * Two game analytics pipelines in one stack, composed from the package the way a studio would:
 * one per game, each with its own workload name (the prefix of every physical name), ingest mode
 * and retention. Run with `pulumi up` after `npm install` (see README.md).
 */
import * as pulumi from "@pulumi/pulumi";
import { GameAnalyticsPipeline } from "@gap/game-analytics-pipeline";

const studio = new pulumi.Config().get("studio") ?? "acme";
const stack = pulumi.getStack();

/** Names follow the studio's convention: <studio>-<game>-<stack>. */
const workloadName = (game: string) => `${studio}-${game}-${stack}`;

const shooter = new GameAnalyticsPipeline("shooter", {
    workloadName: workloadName("shooter"),
    ingestMode: "KINESIS_DATA_STREAMS",
    realTimeAnalytics: false,
    devMode: stack !== "prod",
    s3BackupMode: true,
    cloudWatchRetentionDays: 90,
});

const puzzle = new GameAnalyticsPipeline("puzzle", {
    workloadName: workloadName("puzzle"),
    ingestMode: "DIRECT_BATCH",
    realTimeAnalytics: false,
    devMode: stack !== "prod",
    eventsDatabase: "puzzle_events",
    cloudWatchRetentionDays: 30,
    dataRetentionDays: 365,
});

export const shooterEventsEndpoint = shooter.eventsEndpoint;
export const shooterAdminPolicyArn = shooter.adminPolicyArn;
export const puzzleEventsEndpoint = puzzle.eventsEndpoint;
export const puzzleAdminPolicyArn = puzzle.adminPolicyArn;
