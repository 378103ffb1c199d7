/** The GCP ingest tier with an OIDC issuer (issue 16): the events function gets the issuer settings; without one, none. */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { validateSettings } from "../../components/contracts/settings";
import { buildGcpPipeline } from "../../components/gcp/pipeline";
import { GcpMockRecorder, REGION } from "./support/gcp-mocks";

class Parent extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Parent", name, {});
    }
}

describe("GCP ingest tier with an OIDC issuer (mocks)", function () {
    this.timeout(60_000);

    async function eventsVariables(extra: Record<string, unknown>): Promise<Record<string, string>> {
        const mocks = new GcpMockRecorder();
        await mocks.install();
        buildGcpPipeline("game", validateSettings({ workloadName: "mygame", cloud: "gcp", realTimeAnalytics: false, ...extra }), new Parent("p"), { region: REGION });
        await mocks.settle();
        const events = mocks.ofType("gcp:cloudfunctionsv2/function:Function").filter((r) => r.name.endsWith("ingest-events-function") || r.name.endsWith("ingest-events"));
        assert.equal(events.length, 1, events.map((r) => r.name).join(", "));
        return events[0]!.inputs.serviceConfig.environmentVariables;
    }

    it("writes the issuer settings into the events function's environment", async () => {
        const variables = await eventsVariables({ oidcIssuerUrl: "https://id.studio.example.com", oidcAudience: "gamebackend", oidcApplicationId: "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968" });
        assert.equal(variables.OIDC_ISSUER_URL, "https://id.studio.example.com");
        assert.equal(variables.OIDC_AUDIENCE, "gamebackend");
        assert.equal(variables.OIDC_APPLICATION_ID, "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968");
        assert.equal(variables.OIDC_PLAYER_ID_CLAIM, "sub");
    });

    it("writes none without an issuer", async () => {
        const variables = await eventsVariables({});
        assert.deepEqual(Object.keys(variables).filter((k) => k.startsWith("OIDC_")), []);
    });
});
