/** One Server-Sent Event: its name (`message` when none) and its data lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Reads `text/event-stream` bytes into events (the WHATWG rules: lines end in LF, CRLF or CR; a
 * blank line dispatches; `:` starts a comment). `onBytes` is called for every chunk, heartbeats
 * included, so a caller can tell a quiet stream from a dead one.
 */
export async function* readEvents(body: AsyncIterable<Uint8Array>, onBytes: () => void = () => undefined): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const line = (text: string): ServerSentEvent | undefined => {
    if (text === '') {
      const ready = data.length > 0 ? { event: event || 'message', data: data.join('\n'), id } : undefined;
      event = '';
      data = [];
      return ready;
    }
    if (text.startsWith(':')) return undefined;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
    return undefined;
  };
  for await (const chunk of body) {
    onBytes();
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      // A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
      if (end < 0 || (buffer[end] === '\r' && end === buffer.length - 1)) break;
      const width = buffer.startsWith('\r\n', end) ? 2 : 1;
      const ready = line(buffer.slice(0, end));
      buffer = buffer.slice(end + width);
      if (ready) yield ready;
    }
  }
}
