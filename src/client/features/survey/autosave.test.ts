/** The draft autosaver: debounced, never overlapping, latest value wins, nothing typed is dropped on failure. */
import { describe, expect, it, vi } from 'vitest';
import { createAutosaver, type SaveState } from './autosave';

describe('autosaver', () => {
  it('writes the latest value once after a pause in typing', async () => {
    vi.useFakeTimers();
    try {
      const saved: string[] = [];
      const saver = createAutosaver<string>({ save: async (v) => void saved.push(v), delayMs: 500 });
      saver.change('H');
      saver.change('He');
      await vi.advanceTimersByTimeAsync(400);
      saver.change('Hello');
      await vi.advanceTimersByTimeAsync(499);
      expect(saved).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(saved).toEqual(['Hello']);
      expect(saver.state).toBe('saved');
    } finally {
      vi.useRealTimers();
    }
  });

  it('flushes at once (blur, page hidden) and does not overlap saves; a change during a save follows it', async () => {
    let release: () => void = () => undefined;
    const saved: string[] = [];
    let active = 0;
    let maxActive = 0;
    const saver = createAutosaver<string>({
      delayMs: 10_000,
      save: async (v) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => (release = resolve));
        saved.push(v);
        active--;
      },
    });
    saver.change('a');
    const first = saver.flush();
    await Promise.resolve();
    saver.change('ab');
    const second = saver.flush();
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await Promise.all([first, second]);
    expect(saved).toEqual(['a', 'ab']);
    expect(maxActive).toBe(1);
  });

  it('keeps the value after a failed save and writes it with the next flush', async () => {
    const states: SaveState[] = [];
    let fail = true;
    const saved: string[] = [];
    const saver = createAutosaver<string>({
      delayMs: 10_000,
      onState: (s) => states.push(s),
      save: async (v) => {
        if (fail) throw new Error('QuotaExceededError');
        saved.push(v);
      },
    });
    saver.change('draft');
    await saver.flush();
    expect(saver.state).toBe('error');
    fail = false;
    await saver.flush();
    expect(saved).toEqual(['draft']);
    expect(states).toEqual(['pending', 'saving', 'error', 'saving', 'saved']);
  });

  it('cancel drops what is pending (submit wrote it another way)', async () => {
    const saved: string[] = [];
    const saver = createAutosaver<string>({ delayMs: 10_000, save: async (v) => void saved.push(v) });
    saver.change('x');
    saver.cancel();
    await saver.flush();
    expect(saved).toEqual([]);
  });
});
