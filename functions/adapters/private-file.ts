/**
 * Files holding secrets on a developer's machine (the local decision-link
 * keyring, the local ingest secrets): readable by the owner only (0600) and
 * never seen half-written. Both writers go through a private temporary file
 * beside the target, so the content exists with its mode before it has the
 * real name.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/** Writes `text` to a new private file next to `filePath` and returns its name. */
async function writePrivateTemp(filePath: string, text: string): Promise<string> {
  const temp = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temp, text, { mode: 0o600, flag: 'wx' });
  return temp;
}

/**
 * Creates `filePath` with `text` unless it exists. The temp file is
 * hard-linked into place: the name appears with its full content or not at
 * all, and the link fails if another process (the runtime and the CLI may
 * start together) created the file first. Returns true when this call created
 * it; false means someone else's file is there, and theirs is the one to use.
 */
export async function createPrivateFileOnce(filePath: string, text: string): Promise<boolean> {
  const temp = await writePrivateTemp(filePath, text);
  try {
    await fs.link(temp, filePath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** Replaces `filePath`'s content in one step (a rename): readers see the old or the new file, never a mix. */
export async function replacePrivateFile(filePath: string, text: string): Promise<void> {
  const temp = await writePrivateTemp(filePath, text);
  await fs.rename(temp, filePath);
}
