/**
 * Saves a draft as the participant types: each change restarts a short
 * timer, and the latest value is written when it fires, when the field loses
 * focus, or when the page is being hidden (the last moment a phone reliably
 * lets a page write). Saves never overlap and never go backwards: a change
 * made during a save is written right after it. Framework-free, with
 * injectable timers, so the rules are unit-tested.
 */

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface Autosaver<T> {
  /** A new value to save (the latest wins). */
  change(value: T): void;
  /** Write now whatever is pending; resolves when it is on disk. */
  flush(): Promise<void>;
  /** Drop the pending value (e.g. after submitting wrote it another way). */
  cancel(): void;
  readonly state: SaveState;
}

export interface AutosaveOptions<T> {
  save(value: T): Promise<void>;
  delayMs?: number;
  onState?(state: SaveState, error?: unknown): void;
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

export function createAutosaver<T>(options: AutosaveOptions<T>): Autosaver<T> {
  const delay = options.delayMs ?? 600;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let pending: { value: T } | null = null;
  let timer: unknown = null;
  let inFlight: Promise<void> | null = null;
  let state: SaveState = 'idle';

  const setState = (next: SaveState, error?: unknown) => {
    state = next;
    options.onState?.(next, error);
  };

  const stopTimer = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };

  async function drain(): Promise<void> {
    while (pending) {
      const { value } = pending;
      pending = null;
      setState('saving');
      try {
        await options.save(value);
      } catch (error) {
        // Keep the value so the next change or flush tries again; nothing typed is dropped.
        pending ??= { value };
        setState('error', error);
        return;
      }
    }
    setState('saved');
  }

  function flush(): Promise<void> {
    stopTimer();
    if (inFlight) return inFlight.then(() => (pending ? flush() : undefined));
    if (!pending) return Promise.resolve();
    inFlight = drain().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    change(value) {
      pending = { value };
      setState('pending');
      stopTimer();
      timer = setTimer(() => {
        timer = null;
        void flush();
      }, delay);
    },
    flush,
    cancel() {
      stopTimer();
      pending = null;
    },
    get state() {
      return state;
    },
  };
}
