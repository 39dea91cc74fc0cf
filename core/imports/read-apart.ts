/**
 * Reads an uploaded table in a worker thread with a memory bound of its own: a workbook that takes seconds to
 * parse does not stall the server's other requests, and one that would exhaust memory ends that thread — the
 * import fails with a reason — never the server.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readTable, UnreadableFile, type FileType, type Table } from './table';

/** The reader's heap: room for the largest accepted file, far below what would take the server down. */
const READER_HEAP_MB = 1536;

type Answer = { table: Table } | { zh: string; en: string } | { error: string };

export function readTableApart(type: FileType, content: Buffer): Promise<Table> {
  return new Promise((resolve, reject) => {
    // The thread loads this module through tsx as the process does (TypeScript run as it is).
    const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(__filename)});`;
    const worker = new Worker(code, { eval: true, workerData: { readTable: true, type, content }, resourceLimits: { maxOldGenerationSizeMb: READER_HEAP_MB } });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.once('message', (m: Answer) =>
      settle(() => {
        if ('table' in m) resolve(m.table);
        else if ('zh' in m) reject(new UnreadableFile(m.zh, m.en));
        else reject(new Error(m.error));
      }),
    );
    worker.once('error', (e: Error & { code?: string }) =>
      settle(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new UnreadableFile('文件过大，读取时内存不足，请拆分为多个文件导入', 'the file needs more memory to read than an import may take; split it')
            : e,
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`the table reader stopped (exit ${code})`))));
  });
}

if (!isMainThread && (workerData as { readTable?: boolean } | null)?.readTable) {
  const { type, content } = workerData as { type: FileType; content: Uint8Array };
  const answer = (m: Answer) => parentPort!.postMessage(m);
  readTable(type, Buffer.from(content.buffer, content.byteOffset, content.byteLength)).then(
    (table) => answer({ table }),
    (e: unknown) => answer(e instanceof UnreadableFile ? { zh: e.zh, en: e.en } : { error: e instanceof Error ? e.message : String(e) }),
  );
}
