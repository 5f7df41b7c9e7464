// Test-only statistics (excluded from the build).

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
export function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

/**
 * The chi-square value exceeded with probability about 1e-9 for `df` degrees of
 * freedom (Wilson–Hilferty approximation, z = 6.0): a correct generator fails such a
 * test about once in a billion runs, while real bias (e.g. modulo bias) is caught.
 */
export function chiSquareCritical(df: number, z = 6.0): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** Chi-square test of homogeneity for a table of counts (rows × columns). */
export function chiSquareTable(table: readonly (readonly number[])[]): { statistic: number; df: number } {
  const rows = table.length;
  const cols = table[0]!.length;
  const rowSums = table.map((r) => r.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: cols }, (_, j) => table.reduce((a, r) => a + r[j]!, 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  let statistic = 0;
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < cols; j += 1) {
      const expected = (rowSums[i]! * colSums[j]!) / total;
      statistic += (table[i]![j]! - expected) ** 2 / expected;
    }
  }
  return { statistic, df: (rows - 1) * (cols - 1) };
}
