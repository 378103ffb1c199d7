/** Captures everything written to stdout and stderr (Powertools logs, console) while `run` runs. */
export async function captureOutput<T>(run: () => Promise<T>): Promise<{ result: T; output: string }> {
    const chunks: string[] = [];
    const originalOut = process.stdout.write.bind(process.stdout);
    const originalErr = process.stderr.write.bind(process.stderr);
    const capture = (chunk: unknown): boolean => {
        chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
        return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
        const result = await run();
        return { result, output: chunks.join("") };
    } finally {
        process.stdout.write = originalOut;
        process.stderr.write = originalErr;
    }
}
