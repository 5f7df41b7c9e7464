import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../../lib/app-error.js';

export interface Upload {
  file: Buffer;
  fileName: string;
  fields: Record<string, string>;
}

const MAX_FIELDS = 10;
const MAX_FIELD_BYTES = 8 * 1024;

const tooLarge = (maxBytes: number) => new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`);

/**
 * Reads a multipart/form-data body into memory: one part named `file` of at most `maxBytes`, and
 * a few short text fields. Nothing goes to disk; a body too large is refused as soon as it is
 * seen to be, and the rest of it is read and dropped so the answer reaches the client.
 */
export function readUpload(req: Request, maxBytes: number): Promise<Upload> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, in a part named file'));
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes + MAX_FIELDS * MAX_FIELD_BYTES + 64 * 1024) {
    req.resume();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise<Upload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: maxBytes, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 },
      });
    } catch {
      reject(new AppError('BAD_REQUEST', 'The multipart body has no boundary'));
      return;
    }
    const fields: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let fileName: string | null = null;
    let failed: AppError | null = null;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = error;
      for (const chunk of chunks) chunk.fill(0);
      chunks.length = 0;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || fileName !== null) {
        stream.resume();
        fail(
          new AppError('VALIDATION_FAILED', 'Send exactly one file, in the part named file', {
            errors: [{ path: `body.${name}`, message: 'is not the part file' }],
          }),
        );
        return;
      }
      fileName = info.filename || 'upload';
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge(maxBytes)));
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated)
        fail(new AppError('VALIDATION_FAILED', `The field ${name} is too long`, { errors: [{ path: `body.${name}`, message: 'is too long' }] }));
      else fields[name] = value;
    });
    parser.on('partsLimit', () => fail(new AppError('VALIDATION_FAILED', 'The form has too many parts')));
    parser.on('fieldsLimit', () => fail(new AppError('VALIDATION_FAILED', 'The form has too many fields')));
    parser.on('filesLimit', () => fail(new AppError('VALIDATION_FAILED', 'Send exactly one file, in the part named file')));
    parser.on('error', () => fail(new AppError('BAD_REQUEST', 'The multipart body cannot be read')));
    parser.on('close', () => {
      if (failed) return;
      if (fileName === null) {
        reject(new AppError('VALIDATION_FAILED', 'The form has no file', { errors: [{ path: 'body.file', message: 'is required' }] }));
        return;
      }
      resolve({ file: Buffer.concat(chunks), fileName, fields });
      for (const chunk of chunks) chunk.fill(0);
    });
    req.pipe(parser);
  });
}
