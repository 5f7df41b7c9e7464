import { importRoutes, ImportFieldsSchema, MAX_IMPORT_FILE_BYTES } from '@passman/contracts';
import { bind, bindStream } from '../../http/bind-routes.js';
import { parseInput } from '../../lib/validate.js';
import type { ImportsService } from './imports.service.js';
import { readUpload } from './multipart-upload.js';

export function importBindings(deps: { imports: ImportsService; maxFileBytes?: number }) {
  return [
    bind(importRoutes.create, async ({ ctx, req, res }) => {
      const upload = await readUpload(req, deps.maxFileBytes ?? MAX_IMPORT_FILE_BYTES);
      let started;
      try {
        const fields = parseInput(ImportFieldsSchema, upload.fields, 'body');
        started = await deps.imports.start(ctx, { file: upload.file, fileName: upload.fileName, fields });
      } finally {
        // Whatever happened: a real run's file waits for its worker sealed under the master key.
        upload.file.fill(0);
      }
      if (started.dryRun) return started.import;
      res.status(202).json(started.import);
      return started.import;
    }),
    bind(importRoutes.get, ({ ctx, params, query }) => deps.imports.get(ctx, params.id, query)),
    bindStream(importRoutes.errors, async ({ ctx, params, res }) => {
      const report = await deps.imports.errorReport(ctx, params.id);
      res.status(200).type('text/csv; charset=utf-8').attachment(report.fileName);
      for await (const line of report.lines) res.write(line);
      res.end();
    }),
  ];
}
