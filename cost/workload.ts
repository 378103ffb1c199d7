/**
 * The traffic a cost estimate is for, and the volumes derived from it.
 * The reference workload is the guidance's: 100 events/s of 1 KB, 100 events per request, a
 * 30-day month (259.2 M events).
 */

/** What the game sends and how the lake is queried. */
export interface Workload {
    /** Average events per second over the month. @default 100 */
    eventsPerSecond: number;
    /** Size of one event as the client sends it (JSON bytes). @default 1024 */
    eventSizeBytes: number;
    /** Events in one POST /applications/{id}/events request. @default 100 */
    eventsPerRequest: number;
    /** Hours in the billed month: 720 (30 days, the guidance's 259.2 M events) or 730 (AWS calculator). @default 720 */
    hoursPerMonth: number;
    /** Registered applications (games) sending events. @default 1 */
    applications: number;
    /** Distinct API key values in use: each is one entry of the authorizer cache. @default 10 */
    apiKeys: number;
    /** Athena queries run per day (dashboards, analysts). @default 10 */
    athenaQueriesPerDay: number;
    /** Days of data each query reads (partition pruning keeps the rest out). @default 1 */
    athenaQueryDays: number;
}

export const DEFAULT_WORKLOAD: Readonly<Workload> = Object.freeze({
    eventsPerSecond: 100,
    eventSizeBytes: 1024,
    eventsPerRequest: 100,
    hoursPerMonth: 720,
    applications: 1,
    apiKeys: 10,
    athenaQueriesPerDay: 10,
    athenaQueryDays: 1,
});

/** Seconds in the billed month. */
export function secondsPerMonth(w: Workload): number {
    return w.hoursPerMonth * 3600;
}

/** Days in the billed month. */
export function daysPerMonth(w: Workload): number {
    return w.hoursPerMonth / 24;
}

/** Events per month: 100 events/s over 720 h is 259,200,000. */
export function eventsPerMonth(w: Workload): number {
    return w.eventsPerSecond * secondsPerMonth(w);
}

/** API requests per month (the last request of a batch may be partial, so round up). */
export function requestsPerMonth(w: Workload): number {
    return Math.ceil(eventsPerMonth(w) / w.eventsPerRequest);
}
