import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * Measures what a first visit downloads — the entry chunk and every chunk it imports
 * statically, gzipped — prints it, writes it to `dist/bundle-size.json`, and fails the
 * build when it passes the budget.
 */
export function bundleBudget(limitKiB: number): Plugin {
  return {
    name: 'passman-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
      const seen = new Set<string>();
      const visit = (name: string): void => {
        const chunk = chunks.get(name);
        if (!chunk || seen.has(name)) return;
        seen.add(name);
        chunk.imports.forEach(visit);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const gzipBytes = [...seen].reduce((sum, name) => sum + gzipSync(chunks.get(name)!.code, { level: 9 }).length, 0);
      const kib = Math.round((gzipBytes / 1024) * 10) / 10;
      this.emitFile({
        type: 'asset',
        fileName: 'bundle-size.json',
        source: `${JSON.stringify({ firstLoadJsGzipKiB: kib, budgetKiB: limitKiB, chunks: [...seen] }, null, 2)}\n`,
      });
      const line = `first-load JavaScript: ${kib} KiB gzipped (budget ${limitKiB} KiB)`;
      if (kib > limitKiB) this.error(line);
      this.info(line);
    },
  };
}
