/**
 * React binding of the draft autosaver: one saver per form, its state for
 * the "Draft saved on this phone" line, and the flushes a phone needs (the
 * page being hidden or closed, the form unmounting), so what was typed is on
 * disk before a reload, an update or a killed tab.
 */
import { useEffect, useState } from 'react';
import { createAutosaver, type Autosaver, type SaveState } from './autosave';

/** `save` is taken once: it must read anything that changes through refs, not through its closure. */
export function useAutosave<T>(save: (value: T) => Promise<void>): [Autosaver<T>, SaveState] {
  const [state, setState] = useState<SaveState>('idle');
  const [saver] = useState(() => createAutosaver<T>({ save, onState: (s) => setState(s) }));

  useEffect(() => {
    const flush = () => void saver.flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', flush);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flush);
      // Leaving the screen (back link, another tab of the app) keeps the last keystrokes.
      flush();
    };
  }, [saver]);

  return [saver, state];
}
