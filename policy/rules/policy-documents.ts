/**
 * Reading IAM policy documents as they appear in resource properties: JSON text (or an already
 * parsed object), one statement or a list, `Action` as a string or a list.
 */

/** One statement, normalized: lists everywhere. */
export interface NormalizedStatement {
    sid?: string;
    effect: string;
    actions: string[];
    notActions: string[];
    resources: string[];
    notResources: string[];
    principal?: unknown;
    condition?: Record<string, Record<string, unknown>>;
}

/** Parses a policy document; throws with a clear message when it is not one. */
export function parsePolicyDocument(document: unknown): NormalizedStatement[] {
    const parsed = typeof document === "string" ? JSON.parse(document) : document;
    if (parsed === null || typeof parsed !== "object") {
        throw new Error("policy document is not a JSON object");
    }
    const statements = (parsed as { Statement?: unknown }).Statement;
    const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
    return list.map((s: Record<string, unknown>) => ({
        sid: typeof s.Sid === "string" ? s.Sid : undefined,
        effect: String(s.Effect),
        actions: asList(s.Action),
        notActions: asList(s.NotAction),
        resources: asList(s.Resource),
        notResources: asList(s.NotResource),
        principal: s.Principal,
        condition: s.Condition as NormalizedStatement["condition"],
    }));
}

function asList(value: unknown): string[] {
    if (value === undefined || value === null) return [];
    return (Array.isArray(value) ? value : [value]).map(String);
}

/** How a statement is named in messages. */
export function statementLabel(statement: NormalizedStatement, index: number): string {
    return statement.sid ? `statement "${statement.sid}"` : `statement #${index + 1}`;
}
