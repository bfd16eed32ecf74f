/** The React hook over the device's sync status store. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { INITIAL_SYNC_STATUS } from '../../device/sync/status';
import { useSyncStatus } from './use-sync-status';

describe('useSyncStatus', () => {
  it('renders the store snapshot', () => {
    const snapshot = { ...INITIAL_SYNC_STATUS, pending: 4 };
    const store = { getSnapshot: () => snapshot, subscribe: () => () => undefined, update: () => undefined };
    const Probe = () => createElement('span', null, `pending ${useSyncStatus(store).pending}`);
    expect(renderToStaticMarkup(createElement(Probe))).toBe('<span>pending 4</span>');
  });
});
