/**
 * Installation to the home screen. Chromium offers `beforeinstallprompt`
 * once, often before the settings screen is ever opened, so it is captured
 * at start-up and kept here until the participant taps "Install". iOS has no
 * such event: the settings screen shows "Share → Add to Home Screen" instead,
 * which also protects Safari's storage from its 7-day eviction.
 */
import { useSyncExternalStore } from 'react';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

let deferred: BeforeInstallPromptEvent | null = null;
let installed = false;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function captureInstallPrompt(): void {
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    deferred = event as BeforeInstallPromptEvent;
    emit();
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    installed = true;
    emit();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useInstallPrompt(): { canInstall: boolean; installed: boolean; install: () => Promise<void> } {
  const canInstall = useSyncExternalStore(subscribe, () => deferred !== null);
  const justInstalled = useSyncExternalStore(subscribe, () => installed);
  return {
    canInstall,
    installed: justInstalled || isStandalone(),
    install: async () => {
      const event = deferred;
      if (!event) return;
      // The event can be used only once, whatever the answer.
      deferred = null;
      emit();
      await event.prompt();
      await event.userChoice;
    },
  };
}

export function isStandalone(): boolean {
  return (
    window.matchMedia('(display-mode: standalone)').matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

/** iPhone and iPad Safari, including iPadOS that claims to be a Mac. */
export function isIos(): boolean {
  const ua = navigator.userAgent;
  return /iPad|iPhone|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}
