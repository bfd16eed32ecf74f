/**
 * The sha256 check that decides whether downloaded bytes are the published
 * file. Web Crypto has no incremental digest, so the file is read whole
 * once; materials are documents of a few MB, far below what a phone holds in
 * memory. The same code runs under Node in the unit tests.
 */

export async function sha256Hex(data: Blob | ArrayBuffer): Promise<string> {
  const buffer = data instanceof ArrayBuffer ? data : await data.arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
