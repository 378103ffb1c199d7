/** The settings tests' reading of a SettingsError. */
import { SettingsError } from "../../components/contracts/settings";

/**
 * Problems of a SettingsError thrown by `run`, as `key: rule`; [] when `run` throws nothing. Any
 * other error is rethrown (the test fails on it).
 * @example assert.deepEqual(problemsOf(() => validateSettings({ workloadName: "" })), ["workloadName: ..."])
 */
export function problemsOf(run: () => unknown): string[] {
    try {
        run();
    } catch (error) {
        if (error instanceof SettingsError) return error.problems.map((p) => `${p.key}: ${p.rule}`);
        throw error;
    }
    return [];
}
