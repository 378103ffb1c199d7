import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { checkTableFormatChange, guardTableFormat } from "../../components/aws/iceberg/table-format-guard";
import { SettingsError } from "../../components/contracts/settings";

describe("tableFormat flip guard", () => {
    it("lets a first deployment and an unchanged format through", () => {
        assert.doesNotThrow(() => checkTableFormatChange(undefined, "ICEBERG", false));
        assert.doesNotThrow(() => checkTableFormatChange("ICEBERG", "ICEBERG", false));
    });

    it("refuses HIVE -> ICEBERG and back with a SettingsError naming tableFormat, unless acknowledged", () => {
        assert.throws(() => checkTableFormatChange("HIVE", "ICEBERG", false), (e: unknown) => e instanceof SettingsError && /tableFormat = "ICEBERG": this stack is deployed with tableFormat HIVE/.test(e.message) && /allowTableFormatChange/.test(e.message));
        assert.throws(() => checkTableFormatChange("ICEBERG", "HIVE", false), SettingsError);
        assert.doesNotThrow(() => checkTableFormatChange("HIVE", "ICEBERG", true));
    });

    it("reads the stack's own previous output through a StackReference to itself", async () => {
        const references: string[] = [];
        await pulumi.runtime.setMocks({
            newResource: (args) => {
                if (args.type === "pulumi:pulumi:StackReference") {
                    references.push(args.inputs.name);
                    return { id: args.inputs.name, state: { outputs: { tableFormat: "HIVE" }, secretOutputNames: [] } };
                }
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: () => ({}),
        }, "game-analytics", "prod", true, "studio");
        // Output.promise() is the SDK's own way to await an output (what the engine awaits).
        const settle = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();
        await assert.rejects(settle(guardTableFormat("ICEBERG", false)), (e: unknown) => e instanceof SettingsError && /deployed with tableFormat HIVE/.test(e.message));
        assert.deepEqual(references, ["studio/game-analytics/prod"]);
        assert.equal(await settle(guardTableFormat("HIVE", false)), "HIVE");
        assert.equal(await settle(guardTableFormat("ICEBERG", true)), "ICEBERG");
    });
});
