/** A strict reader of RFC 5424 messages for tests: what a SIEM's parser would see. */
export interface ParsedSyslog {
  pri: number;
  facility: number;
  severity: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** SD-ID → params, unescaped. */
  sd: Record<string, Record<string, string>>;
  msg: string;
}

const HEADER = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /;
const SD_NAME = /^[\x21-\x7e]+?(?=[= \]"])/;

/** Parses one message or throws saying where it breaks the grammar. */
export function parseSyslog(message: string): ParsedSyslog {
  const header = HEADER.exec(message);
  if (!header) throw new Error(`bad header: ${message}`);
  const pri = Number(header[1]);
  let rest = message.slice(header[0].length);
  const sd: ParsedSyslog['sd'] = {};
  if (rest.startsWith('-')) rest = rest.slice(1);
  else {
    while (rest.startsWith('[')) {
      rest = rest.slice(1);
      const id = SD_NAME.exec(rest)?.[0];
      if (!id) throw new Error(`bad SD-ID at: ${rest}`);
      rest = rest.slice(id.length);
      const params: Record<string, string> = {};
      while (rest.startsWith(' ')) {
        rest = rest.slice(1);
        const name = SD_NAME.exec(rest)?.[0];
        if (!name || rest[name.length] !== '=' || rest[name.length + 1] !== '"') throw new Error(`bad SD-PARAM at: ${rest}`);
        rest = rest.slice(name.length + 2);
        let value = '';
        for (;;) {
          const c = rest[0];
          if (c === undefined) throw new Error('unterminated PARAM-VALUE');
          if (c === '\\' && (rest[1] === '"' || rest[1] === '\\' || rest[1] === ']')) {
            value += rest[1];
            rest = rest.slice(2);
          } else if (c === '"') {
            rest = rest.slice(1);
            break;
          } else if (c === ']') {
            throw new Error(`unescaped ] in PARAM-VALUE of ${name}`);
          } else {
            value += c;
            rest = rest.slice(1);
          }
        }
        params[name] = value;
      }
      if (!rest.startsWith(']')) throw new Error(`SD-ELEMENT not closed at: ${rest}`);
      rest = rest.slice(1);
      sd[id] = params;
    }
  }
  if (rest.length > 0 && !rest.startsWith(' ')) throw new Error(`no space before MSG: ${rest}`);
  return {
    pri,
    facility: pri >> 3,
    severity: pri & 7,
    version: Number(header[2]),
    timestamp: header[3]!,
    hostname: header[4]!,
    appName: header[5]!,
    procId: header[6]!,
    msgId: header[7]!,
    sd,
    msg: rest.slice(1),
  };
}
