/**
 * The page's download queue for material files: one file at a time (on a
 * thin link parallel requests only share the same bytes per second), each
 * resumable, retried with backoff while the link flickers, paused while the
 * phone is offline and resumed by itself when it comes back. It outlives the
 * screen that started it, so leaving the workshop does not stop a download.
 *
 * A full disk stops the queue with a clear reason and returns the space the
 * half-downloaded file took: the participant's own unsynced records need it
 * more than a PDF does. Before starting, the storage estimate is checked so
 * a download that cannot fit does not begin at all.
 *
 * Only one tab downloads at a time (a Web Lock); another tab's queue waits
 * and then finds the files already there.
 */
import { readDeviceIdentity, type VakaDatabase } from '../db/database';
import { DownloadError, downloadFile, isQuotaError } from './fetch-file';
import type { MaterialRef } from './plan';
import { dropPartial, markFailed, markPending, pruneDownloads, switchMaterialTo } from './store';
import type { DownloadErrorKind } from './types';

export const DOWNLOAD_LOCK = 'vaka-downloads';

export type ItemStatus = 'queued' | 'downloading' | 'done' | 'failed';

export interface ItemProgress {
  materialId: string;
  sha256: string;
  receivedBytes: number;
  byteSize: number;
  status: ItemStatus;
  error: DownloadErrorKind | null;
}

export interface ManagerSnapshot {
  /** By material id: what this page has queued or fetched since it opened. */
  items: ReadonlyMap<string, ItemProgress>;
  running: boolean;
  /** Why the queue stopped with work left (offline: it resumes by itself when the phone is back online). */
  stoppedBy: DownloadErrorKind | null;
}

export interface ManagerEnv {
  fetchImpl?: typeof fetch;
  baseUrl?: string;
  chunkBytes?: number;
  /** navigator.storage.estimate, where the browser has it. */
  estimate?: (() => Promise<{ usage?: number; quota?: number }>) | null;
  isOnline?: () => boolean;
  /** Calls back when the phone reports it is online again; returns the unsubscribe. */
  onOnline?: ((listener: () => void) => () => void) | null;
  sleep?: (ms: number) => Promise<void>;
  /** Waits between attempts after a transient failure, before giving up until the next 'online'. */
  retryDelaysMs?: number[];
  locks?: LockManager | null;
  now?: () => Date;
}

/** Space kept free beyond the download, so records and sync still have room. */
export const HEADROOM_BYTES = 5 * 1024 * 1024;

export class DownloadManager {
  private items = new Map<string, ItemProgress>();
  private snapshot: ManagerSnapshot = { items: new Map(), running: false, stoppedBy: null };
  private readonly listeners = new Set<() => void>();
  private queue: MaterialRef[] = [];
  /** Every material this page was asked for, so a failed one can be tried again. */
  private readonly refs = new Map<string, MaterialRef>();
  private runner: Promise<void> | null = null;
  private controller: AbortController | null = null;
  private stoppedBy: DownloadErrorKind | null = null;
  private unsubscribeOnline: (() => void) | null = null;

  constructor(
    private readonly db: VakaDatabase,
    private readonly env: ManagerEnv = {},
  ) {}

  getSnapshot = (): ManagerSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    this.snapshot = { items: new Map(this.items), running: this.runner !== null, stoppedBy: this.stoppedBy };
    for (const listener of [...this.listeners]) listener();
  }

  private setItem(m: MaterialRef, patch: Partial<ItemProgress>): void {
    this.refs.set(m.id, m);
    const previous = this.items.get(m.id);
    this.items.set(m.id, {
      materialId: m.id,
      sha256: m.sha256,
      receivedBytes: previous?.sha256 === m.sha256 ? previous.receivedBytes : 0,
      byteSize: m.byteSize,
      status: 'queued',
      error: null,
      ...patch,
    });
    this.emit();
  }

  private now(): string {
    return (this.env.now ?? (() => new Date()))().toISOString();
  }

  /**
   * Queues these materials (those already current are skipped by the
   * engine at no cost) and resolves when the queue is drained or stopped.
   * Refuses up front, writing nothing, when the storage estimate says the
   * bytes still missing cannot fit.
   */
  async enqueue(materials: readonly MaterialRef[], bytesNeeded?: number): Promise<void> {
    const fresh = materials.filter(
      (m) => !this.queue.some((q) => q.id === m.id) && this.items.get(m.id)?.status !== 'downloading',
    );
    if (fresh.length === 0) return this.runner ?? undefined;
    if (bytesNeeded !== undefined && !(await this.fits(bytesNeeded))) {
      this.stoppedBy = 'quota';
      for (const m of fresh) this.setItem(m, { status: 'failed', error: 'quota' });
      return this.runner ?? undefined;
    }
    this.stoppedBy = null;
    for (const m of fresh) {
      this.queue.push(m);
      this.setItem(m, { status: 'queued' });
    }
    return this.start();
  }

  /** Tries again whatever stopped (after the phone came back online, or the participant freed space). */
  resume(): Promise<void> {
    const failed = [...this.items.values()].filter((i) => i.status === 'failed' || i.status === 'queued');
    if (failed.length === 0 && this.queue.length === 0) return this.runner ?? Promise.resolve();
    this.stoppedBy = null;
    for (const item of failed) {
      const ref = this.refs.get(item.materialId);
      if (ref && !this.queue.some((q) => q.id === ref.id)) {
        this.queue.push(ref);
        this.setItem(ref, { status: 'queued' });
      }
    }
    return this.start();
  }

  /** Stops after the current piece; what arrived stays for a later resume. */
  cancel(): void {
    for (const m of this.queue) this.items.delete(m.id);
    this.queue = [];
    this.controller?.abort(new DOMException('Cancelled by the participant', 'AbortError'));
    this.stopWatchingOnline();
    this.emit();
  }

  private async fits(bytes: number): Promise<boolean> {
    if (!this.env.estimate || bytes <= 0) return true;
    try {
      const { usage, quota } = await this.env.estimate();
      if (usage === undefined || quota === undefined) return true;
      return quota - usage >= bytes + HEADROOM_BYTES;
    } catch {
      return true;
    }
  }

  private start(): Promise<void> {
    this.stopWatchingOnline();
    this.runner ??= this.withLock(() => this.drain()).finally(() => {
      this.runner = null;
      this.controller = null;
      this.emit();
    });
    this.emit();
    return this.runner;
  }

  private async withLock(work: () => Promise<void>): Promise<void> {
    const locks = this.env.locks === undefined ? globalThis.navigator?.locks : this.env.locks;
    if (!locks) return work();
    await locks.request(DOWNLOAD_LOCK, work);
  }

  private async drain(): Promise<void> {
    this.controller = new AbortController();
    const { signal } = this.controller;
    await pruneDownloads(this.db).catch(() => 0);
    while (this.queue.length > 0 && !signal.aborted) {
      const material = this.queue[0]!;
      const outcome = await this.fetchOne(material, signal);
      if (outcome === 'paused' || outcome === 'stop') return;
      this.queue.shift();
    }
  }

  /** 'next': carry on with the queue; 'paused': offline, wait for 'online'; 'stop': the disk is full. */
  private async fetchOne(m: MaterialRef, signal: AbortSignal): Promise<'next' | 'paused' | 'stop'> {
    const delays = this.env.retryDelaysMs ?? [2_000, 8_000, 30_000];
    const isOnline = this.env.isOnline ?? (() => true);
    this.setItem(m, { status: 'downloading' });
    for (let attempt = 0; ; attempt++) {
      try {
        await markPending(this.db, m.id, m.workshopId, m.sha256, this.now());
        const identity = m.audience === 'participants' ? await readDeviceIdentity(this.db) : null;
        await downloadFile(this.db, m, {
          fetchImpl: this.env.fetchImpl,
          baseUrl: this.env.baseUrl,
          chunkBytes: this.env.chunkBytes,
          token: identity?.deviceToken ?? null,
          signal,
          onProgress: (receivedBytes) => this.setItem(m, { status: 'downloading', receivedBytes }),
        });
        await switchMaterialTo(this.db, m.id, m.workshopId, m.sha256, this.now());
        this.setItem(m, { status: 'done', receivedBytes: m.byteSize });
        return 'next';
      } catch (error) {
        if (signal.aborted) {
          this.items.delete(m.id);
          this.emit();
          return 'stop';
        }
        const kind: DownloadErrorKind =
          error instanceof DownloadError ? error.kind : isQuotaError(error) ? 'quota' : 'server';
        const transient = kind === 'offline' || kind === 'server';
        if (transient && attempt < delays.length && isOnline()) {
          await (this.env.sleep ?? defaultSleep)(delays[attempt]!);
          if (signal.aborted) return 'stop';
          continue;
        }
        await markFailed(this.db, m.id, kind, this.now()).catch(() => undefined);
        this.setItem(m, { status: transient ? 'queued' : 'failed', error: kind });
        if (transient) {
          this.stoppedBy = 'offline';
          this.watchOnline();
          return 'paused';
        }
        if (kind === 'quota') {
          await dropPartial(this.db, m.sha256).catch(() => undefined);
          this.stoppedBy = 'quota';
          for (const rest of this.queue.slice(1)) this.setItem(rest, { status: 'failed', error: 'quota' });
          this.setItem(m, { status: 'failed', error: 'quota', receivedBytes: 0 });
          this.queue = [];
          return 'stop';
        }
        return 'next';
      }
    }
  }

  private watchOnline(): void {
    if (!this.env.onOnline || this.unsubscribeOnline) return;
    this.unsubscribeOnline = this.env.onOnline(() => {
      this.stopWatchingOnline();
      // Only the paused queue resumes; failures that need the participant stay.
      const go = () => {
        if (this.queue.length > 0 && this.runner === null) {
          this.stoppedBy = null;
          void this.start();
        }
      };
      // The runner that paused may still be finishing its bookkeeping.
      if (this.runner) void this.runner.then(go);
      else go();
    });
  }

  private stopWatchingOnline(): void {
    this.unsubscribeOnline?.();
    this.unsubscribeOnline = null;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
