/** Sharing a material: the file where the browser can share files, else a link, else a copied link. */
import { describe, expect, it } from 'vitest';
import { materialLink, shareMaterial, type ShareEnv } from './share';

const material = {
  title: 'HS 2022 at a glance',
  sha256: 'c'.repeat(64),
  audience: 'public' as const,
  workshopId: '00000000-0000-4000-8000-000000000003',
};

function env(overrides: Partial<ShareEnv>): ShareEnv & { shared: ShareData[]; copied: string[] } {
  const shared: ShareData[] = [];
  const copied: string[] = [];
  return {
    origin: 'https://vaka.example',
    shared,
    copied,
    ...overrides,
  };
}

describe('sharing a material', () => {
  it('shares the downloaded file when the browser can share files', async () => {
    const e = env({});
    e.share = async (data) => void e.shared.push(data);
    e.canShare = (data) => Array.isArray(data.files);
    const file = new File(['%PDF'], 'hs.pdf', { type: 'application/pdf' });
    expect(await shareMaterial(material, file, e)).toBe('shared');
    expect(e.shared[0]?.files?.[0]?.name).toBe('hs.pdf');
  });

  it('shares a link when there is no file or files cannot be shared, and copies it where there is no share sheet', async () => {
    const e = env({});
    e.share = async (data) => void e.shared.push(data);
    expect(await shareMaterial(material, null, e)).toBe('shared');
    expect(e.shared[0]).toMatchObject({ url: `https://vaka.example/api/v1/files/${'c'.repeat(64)}` });

    const desktop = env({});
    desktop.copy = async (text) => void desktop.copied.push(text);
    expect(await shareMaterial(material, null, desktop)).toBe('copied');
    expect(desktop.copied).toHaveLength(1);
    expect(await shareMaterial(material, null, env({}))).toBe('unsupported');
  });

  it('tells a cancelled share sheet from a failure', async () => {
    const cancelled = env({ share: async () => Promise.reject(new DOMException('cancel', 'AbortError')) });
    expect(await shareMaterial(material, null, cancelled)).toBe('cancelled');
    const failed = env({ share: async () => Promise.reject(new DOMException('denied', 'NotAllowedError')) });
    expect(await shareMaterial(material, null, failed)).toBe('failed');
  });

  it('links participants-only materials to the workshop page, which asks for enrolment', () => {
    expect(materialLink('https://v.example', { ...material, audience: 'participants' })).toBe(
      `https://v.example/workshops/${material.workshopId}`,
    );
  });
});
