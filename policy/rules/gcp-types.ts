/** Type tokens of the Google Cloud resources the GCP rules inspect (@pulumi/gcp v9). */
export const GCP_TYPES = {
    bucket: "gcp:storage/bucket:Bucket",
    bucketIamMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
    topic: "gcp:pubsub/topic:Topic",
    topicIamMember: "gcp:pubsub/topicIAMMember:TopicIAMMember",
    subscription: "gcp:pubsub/subscription:Subscription",
    subscriptionIamMember: "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember",
    dataset: "gcp:bigquery/dataset:Dataset",
    table: "gcp:bigquery/table:Table",
    tableIamMember: "gcp:bigquery/iamMember:IamMember",
    firestoreDatabase: "gcp:firestore/database:Database",
    cryptoKey: "gcp:kms/cryptoKey:CryptoKey",
    cryptoKeyIamMember: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
    function: "gcp:cloudfunctionsv2/function:Function",
    runServiceIamMember: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    projectIamMember: "gcp:projects/iAMMember:IAMMember",
    projectIamBinding: "gcp:projects/iAMBinding:IAMBinding",
    logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
} as const;

/** Every IAM member/binding type of @pulumi/gcp the IAM rules look at. */
export const GCP_IAM_TYPES = [
    GCP_TYPES.bucketIamMember, GCP_TYPES.topicIamMember, GCP_TYPES.subscriptionIamMember, GCP_TYPES.tableIamMember,
    GCP_TYPES.cryptoKeyIamMember, GCP_TYPES.runServiceIamMember, GCP_TYPES.projectIamMember, GCP_TYPES.projectIamBinding,
    "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember", "gcp:serviceaccount/iAMMember:IAMMember",
] as const;

/** Service agent email patterns (Google Cloud docs, "service agents"). */
export const SERVICE_AGENTS = {
    pubsub: /^serviceAccount:service-\d+@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/,
    bigquery: /^serviceAccount:bq-\d+@bigquery-encryption\.iam\.gserviceaccount\.com$/,
    storage: /^serviceAccount:service-\d+@gs-project-accounts\.iam\.gserviceaccount\.com$/,
    firestore: /^serviceAccount:service-\d+@gcp-sa-firestore\.iam\.gserviceaccount\.com$/,
} as const;
