/**
 * How every cloud bundles a handler at program time: esbuild turns one entry file into a single
 * minified CommonJS `index.js` for Node.js 22, with the modules the cloud's runtime provides (or
 * installs) left out. The same sources always give byte-identical code, so `pulumi preview`
 * shows no spurious diff. Each cloud's packaging (components/aws/bundle.ts, a Lambda archive;
 * components/gcp/function-source.ts, a Cloud Functions source with its package.json) calls this.
 */
import { buildSync, type TsconfigRaw } from "esbuild";

/**
 * The TypeScript options esbuild honours, given inline so that no tsconfig.json is looked up:
 * the bundle does not depend on where the package is installed (a consumer's own tsconfig.json
 * above node_modules never changes it). Same semantics as the repository's tsconfig.json.
 */
export const HANDLER_TSCONFIG: TsconfigRaw = { compilerOptions: { target: "ES2022", strict: true, useDefineForClassFields: true } };

/**
 * The bundled code of `absoluteEntry`, resolved against `projectRoot` whatever the current
 * directory is, leaving `external` modules to the runtime. Throws with esbuild's messages when
 * the entry does not build, and when it builds to nothing.
 * @example bundleHandler("/pkg/functions/aws/handlers/events.ts", "/pkg", ["@aws-sdk/*"])
 */
export function bundleHandler(absoluteEntry: string, projectRoot: string, external: readonly string[]): string {
    const result = buildSync({
        entryPoints: [absoluteEntry],
        absWorkingDir: projectRoot,
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        minify: true,
        sourcemap: false,
        legalComments: "none",
        external: [...external],
        tsconfigRaw: HANDLER_TSCONFIG,
        write: false,
        logLevel: "silent",
    });
    const code = result.outputFiles[0]?.text ?? "";
    if (code.length === 0) throw new Error(`bundling ${absoluteEntry} produced no code`);
    return code;
}
