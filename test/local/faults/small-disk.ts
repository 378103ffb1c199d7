/** A small real file system for disk-full tests: a tmpfs mount (root only). */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { tempDir } from "../helpers";

/** Mounts a tmpfs of `size` on a new folder; undefined (with the reason printed) when it cannot. */
export function mountSmallDisk(size: string): { dir: string; unmount(): void } | undefined {
    if (process.getuid?.() !== 0) {
        console.log(`      (skipped: mounting a small tmpfs needs root; running as uid ${process.getuid?.()})`);
        return undefined;
    }
    const dir = tempDir("small-disk");
    try {
        execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" });
    } catch (error) {
        console.log(`      (skipped: mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()})`);
        fs.rmSync(dir, { recursive: true, force: true });
        return undefined;
    }
    return {
        dir,
        unmount: () => {
            try {
                execFileSync("umount", [dir], { stdio: "pipe" });
            } catch {
                execFileSync("umount", ["-l", dir], { stdio: "pipe" }); // still busy: detach now, freed when closed
            }
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

