/**
 * Configuration as container tools write it: a variable left blank
 * (`DATABASE_URL=`) means unset, so an empty DATABASE_URL runs on SQLite;
 * links use PUBLIC_URL, or http://localhost:PORT without it.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('server configuration', () => {
  it('treats an empty DATABASE_URL as unset: SQLite', () => {
    expect(loadConfig({ DATABASE_URL: '', DATABASE_PATH: 'x/vaka.db' }).database).toEqual({
      kind: 'sqlite',
      path: 'x/vaka.db',
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://h/db',
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://h/db' })).toThrow(/DATABASE_URL must start with postgres/);
  });

  it('takes the links’ origin from PUBLIC_URL, defaulting to this port on localhost', () => {
    expect(loadConfig({ PORT: '3000' }).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PUBLIC_URL: '' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://vaka.example.org/' }).publicUrl).toBe('https://vaka.example.org');
    expect(() => loadConfig({ PUBLIC_URL: 'vaka.example.org' })).toThrow(/PUBLIC_URL must be an http\(s\) address/);
  });
});
