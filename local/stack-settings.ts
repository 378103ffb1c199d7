/**
 * Reads a stack's pipeline settings from `Pulumi.<stack>.yaml` the way the Pulumi program does
 * (`stacks/settings.ts` `readStackSettings`, through `stacks/stack-file.ts`). A missing file means
 * the defaults with workloadName "local".
 */
import { PipelineSettings } from "../components/contracts/settings";
import { CONFIG_NAMESPACE, readStackSettings } from "../stacks/settings";
import { configSourceOf, readStackFile, stackFilePath } from "../stacks/stack-file";

export { CONFIG_NAMESPACE };

/** Settings of the stack and the file they came from (undefined when the defaults were used). */
export interface StackSettings {
    settings: PipelineSettings;
    file: string | undefined;
}

/** Path of a stack's config file. */
export const stackConfigFile = stackFilePath;

/**
 * Loads and validates the settings of `stack`. Throws a SettingsError naming each bad key, or a
 * StackFileError naming the file when it is not readable YAML.
 */
export function loadStackSettings(configDir: string, stack: string): StackSettings {
    const stackFile = readStackFile(configDir, stack);
    const values = { workloadName: "local", ...stackFile?.values };
    return { settings: readStackSettings(configSourceOf(values)).settings, file: stackFile?.file };
}
