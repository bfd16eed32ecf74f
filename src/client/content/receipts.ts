/**
 * The receipt shown on each record, answering "did it send?" per record
 * rather than for the whole phone: the text is "saved on this phone" until
 * the server has acknowledged every queued edit of it, then "sent"; evidence
 * files add "file waiting" until their bytes are uploaded. Pure.
 */
import type { PendingUpload } from '../../device/db/database';

export interface Receipt {
  /** 'saved': queued edits wait on this phone. 'sent': the server has it all. */
  text: 'saved' | 'sent';
  filesWaiting: number;
  bytesWaiting: number;
  /** Files the server refused for good; the participant must remove or replace them. */
  filesRefused: number;
}

export function receiptOf(
  queuedEdits: number,
  uploads: readonly Pick<PendingUpload, 'byteSize' | 'bytesSent' | 'failure'>[],
): Receipt {
  const waiting = uploads.filter((u) => u.failure === null);
  return {
    text: queuedEdits > 0 ? 'saved' : 'sent',
    filesWaiting: waiting.length,
    bytesWaiting: waiting.reduce((sum, u) => sum + Math.max(0, u.byteSize - u.bytesSent), 0),
    filesRefused: uploads.length - waiting.length,
  };
}
