/**
 * Pulumi mock harness for the Google Cloud implementation: records every resource ({type, name,
 * inputs}) and answers with ids and computed outputs shaped like Google Cloud's (full resource
 * names, service account emails, function URLs), so the GCP components run without the CLI,
 * Google Cloud or network.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResourceLog } from "../../support/pulumi-mocks";

export const PROJECT_ID = "studio-analytics";
export const PROJECT_NUMBER = "123456789012";
export const REGION = "europe-west1";

export interface RecordedResource {
    type: string;
    name: string;
    id: string;
    inputs: Record<string, any>;
}

function computed(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, unknown> } {
    const physical: string = inputs.name ?? inputs.accountId ?? inputs.datasetId ?? name;
    switch (type) {
        case "gcp:pubsub/topic:Topic":
            return { id: `projects/${PROJECT_ID}/topics/${physical}`, state: { project: PROJECT_ID } };
        case "gcp:pubsub/subscription:Subscription":
            return { id: `projects/${PROJECT_ID}/subscriptions/${physical}`, state: { project: PROJECT_ID } };
        case "gcp:kms/keyRing:KeyRing":
            return { id: `projects/${PROJECT_ID}/locations/${inputs.location}/keyRings/${physical}`, state: {} };
        case "gcp:kms/cryptoKey:CryptoKey":
            return { id: `${inputs.keyRing}/cryptoKeys/${physical}`, state: {} };
        case "gcp:serviceaccount/account:Account": {
            const email = `${inputs.accountId}@${PROJECT_ID}.iam.gserviceaccount.com`;
            return { id: `projects/${PROJECT_ID}/serviceAccounts/${email}`, state: { email, name: `projects/${PROJECT_ID}/serviceAccounts/${email}` } };
        }
        case "gcp:cloudfunctionsv2/function:Function":
            return { id: `projects/${PROJECT_ID}/locations/${inputs.location}/functions/${physical}`, state: { serviceConfig: { ...inputs.serviceConfig, uri: `https://${physical}-abc123-ew.a.run.app` } } };
        case "gcp:bigquery/dataset:Dataset":
            return { id: `projects/${PROJECT_ID}/datasets/${inputs.datasetId}`, state: { project: PROJECT_ID } };
        case "gcp:bigquery/table:Table":
            return { id: `projects/${PROJECT_ID}/datasets/${inputs.datasetId}/tables/${inputs.tableId}`, state: { project: PROJECT_ID } };
        case "gcp:firestore/database:Database":
            return { id: `projects/${PROJECT_ID}/databases/${physical}`, state: {} };
        case "gcp:monitoring/dashboard:Dashboard":
            return { id: `projects/${PROJECT_NUMBER}/dashboards/${name}`, state: {} };
        case "gcp:logging/projectBucketConfig:ProjectBucketConfig":
            return { id: `projects/${PROJECT_ID}/locations/${inputs.location}/buckets/${inputs.bucketId}`, state: {} };
        default:
            return { id: `${name}-id`, state: {} };
    }
}

export class GcpMockRecorder extends ResourceLog<RecordedResource> {
    async install(project = "game-analytics", stack = "gcp-dev"): Promise<void> {
        this.resources.length = 0;
        await pulumi.runtime.setMocks({
            newResource: (args) => {
                const { id, state } = computed(args.type, args.name, args.inputs);
                this.resources.push({ type: args.type, name: args.name, id, inputs: args.inputs });
                return { id, state: { ...args.inputs, ...state } };
            },
            call: (args) => {
                if (args.token === "gcp:organizations/getProject:getProject") {
                    return { number: PROJECT_NUMBER, projectId: PROJECT_ID, name: PROJECT_ID, id: `projects/${PROJECT_ID}` };
                }
                throw new Error(`unexpected invoke ${args.token}`);
            },
        }, project, stack, true);
    }
}
