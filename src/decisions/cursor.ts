import { AppError } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Cursors are opaque to clients (base64url of the last row's id) so the position they encode
 * can change without breaking anyone who stored one.
 */
export function encodeCursor(id: string | number): string {
  return Buffer.from(String(id)).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!UUID.test(id)) throw new AppError('validation_failed', 'cursor is not one this API gave out; start again without it');
  return id;
}

/** For lists ordered by a numeric id (audit events). */
export function decodeNumericCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const n = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(n)) {
    throw new AppError('validation_failed', 'cursor is not one this API gave out; start again without it');
  }
  return n;
}
