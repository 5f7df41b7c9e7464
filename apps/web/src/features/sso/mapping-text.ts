import { ROLES, type RoleName } from '@passman/contracts';

/**
 * The value→role and value→group mappings are edited as text, one `claim value = target` a
 * line: easy to paste from the provider's console and to read in a review.
 */
export interface MappingLine {
  value: string;
  target: string;
  /** Its line number in the text, from 1. */
  number: number;
}

export function parseMappingLines(text: string): { lines: MappingLine[]; errors: number[] } {
  const lines: MappingLine[] = [];
  const errors: number[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const at = line.lastIndexOf('=');
    const value = at > 0 ? line.slice(0, at).trim() : '';
    const target = at > 0 ? line.slice(at + 1).trim() : '';
    if (!value || !target) errors.push(index + 1);
    else lines.push({ value, target, number: index + 1 });
  });
  return { lines, errors };
}

export const formatMappingLines = (lines: Omit<MappingLine, 'number'>[]): string => lines.map((l) => `${l.value} = ${l.target}`).join('\n');

const isRole = (value: string): value is RoleName => (ROLES as readonly string[]).includes(value);

/** Role lines name a role (admin, operator, auditor); the numbers of lines that do not. */
export function roleMapping(text: string): { mapping: { value: string; role: RoleName }[]; badLines: number[] } {
  const { lines, errors } = parseMappingLines(text);
  const badLines = [...errors];
  const mapping: { value: string; role: RoleName }[] = [];
  for (const line of lines) {
    const role = line.target.toLowerCase();
    if (isRole(role)) mapping.push({ value: line.value, role });
    else badLines.push(line.number);
  }
  return { mapping, badLines: badLines.sort((a, b) => a - b) };
}

/** Group lines name a PassMan group by name; the numbers of lines naming none. */
export function groupMapping(text: string, groups: { id: string; name: string }[]): { mapping: { value: string; groupId: string }[]; badLines: number[] } {
  const { lines, errors } = parseMappingLines(text);
  const byName = new Map(groups.map((g) => [g.name.toLowerCase(), g.id]));
  const badLines = [...errors];
  const mapping: { value: string; groupId: string }[] = [];
  for (const line of lines) {
    const id = byName.get(line.target.toLowerCase());
    if (id) mapping.push({ value: line.value, groupId: id });
    else badLines.push(line.number);
  }
  return { mapping, badLines: badLines.sort((a, b) => a - b) };
}
