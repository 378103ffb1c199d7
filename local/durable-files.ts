/**
 * Small helpers for files that must survive a crash: write to a temporary name, fsync, rename,
 * fsync the folder. A reader sees either the old file or the new one, never a torn one.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** fsyncs a folder so a rename or a new file in it is durable (no-op where folders cannot be opened). */
export function fsyncDirectory(dir: string): void {
    let fd: number | undefined;
    try {
        fd = fs.openSync(dir, "r");
        fs.fsyncSync(fd);
    } catch {
        // Some platforms (Windows) cannot fsync a folder; the rename is still atomic there.
    } finally {
        if (fd !== undefined) fs.closeSync(fd);
    }
}

/**
 * Makes the finished file `tempPath` durable and atomically puts it at `filePath` (replacing what
 * is there): fsyncs it, renames it, fsyncs the folder. `tempPath` must be in the same folder.
 * @example renameDurably(`${filePath}.${process.pid}.tmp`, filePath)
 */
export function renameDurably(tempPath: string, filePath: string): void {
    const fd = fs.openSync(tempPath, "r+");
    try {
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(tempPath, filePath);
    fsyncDirectory(path.dirname(filePath));
}

/** Atomically replaces `filePath` with `content`, durably. */
export function writeFileDurably(filePath: string, content: string | Buffer, mode?: number): void {
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    const tempPath = `${filePath}.${process.pid}.tmp`;
    const fd = fs.openSync(tempPath, "w", mode);
    try {
        const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
        for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written, bytes.length - written);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    if (mode !== undefined) fs.chmodSync(tempPath, mode);
    fs.renameSync(tempPath, filePath);
    fsyncDirectory(path.dirname(filePath));
}
