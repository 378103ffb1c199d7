/**
 * The event-time settings of a real-time function, read from its environment (either cloud):
 * REALTIME_WINDOW_SECONDS, REALTIME_WATERMARK_SECONDS and REALTIME_MAX_FUTURE_SECONDS, whole seconds.
 * A malformed value is a deployment error, found at cold start.
 */
import { REALTIME_MAX_FUTURE_SECONDS, REALTIME_WATERMARK_SECONDS, REALTIME_WINDOW_SECONDS } from "./environment-names";
import { numberEnv } from "./environment-reading";
import { DEFAULT_EVENT_TIME, type EventTimeSettings } from "./realtime-event-time";

/**
 * Event-time settings from the environment: whole seconds, window 1-3600, watermark 0-3600 and
 * future tolerance 0-86400; an absent variable takes DEFAULT_EVENT_TIME's value.
 * @example timingFromEnvironment({ REALTIME_WATERMARK_SECONDS: "30" }).watermarkMs // 30000
 */
export function timingFromEnvironment(env: NodeJS.ProcessEnv = process.env): EventTimeSettings {
    const seconds = (name: string, fallbackMs: number, min: number, max: number) => {
        const value = numberEnv(name, fallbackMs / 1000, env);
        if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name}: must be a whole number of seconds from ${min} to ${max} (got ${value})`);
        return value * 1000;
    };
    return {
        windowMs: seconds(REALTIME_WINDOW_SECONDS, DEFAULT_EVENT_TIME.windowMs, 1, 3600),
        watermarkMs: seconds(REALTIME_WATERMARK_SECONDS, DEFAULT_EVENT_TIME.watermarkMs, 0, 3600),
        maxFutureMs: seconds(REALTIME_MAX_FUTURE_SECONDS, DEFAULT_EVENT_TIME.maxFutureMs, 0, 86_400),
    };
}
