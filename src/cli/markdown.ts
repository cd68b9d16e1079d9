// `kubectl gwtls explain` in a terminal: the rule's Markdown page laid out for reading (headings, wrapped
// paragraphs, lists, aligned tables, indented code), parsed by marked's lexer. Piped, the page is printed as the
// Markdown it is. The pages are ours, but go through the sanitiser like any text we print.
import { Lexer, type Token, type Tokens } from 'marked';
import { safeLine, safeText } from '../report/sanitize.ts';
import { plain, type Style } from '../report/style.ts';
import { wrap } from '../report/text.ts';

export interface MarkdownOptions {
  width?: number;
  style?: Style;
}

/** Inline tokens as text: **bold** in bold, `code` and links as they read. */
function inline(tokens: Token[] | undefined, s: Style): string {
  let out = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out += s.bold(inline((t as Tokens.Strong).tokens, s));
        break;
      case 'em':
      case 'del':
        out += inline((t as Tokens.Em).tokens, s);
        break;
      case 'codespan':
        // Without colour the backticks stay: they are what marks code then.
        out += s.enabled ? s.ok(safeLine((t as Tokens.Codespan).text)) : `\`${safeLine((t as Tokens.Codespan).text)}\``;
        break;
      case 'link': {
        const l = t as Tokens.Link;
        const text = inline(l.tokens, s);
        out += text === l.href ? text : `${text} (${safeLine(l.href)})`;
        break;
      }
      case 'br':
        out += ' ';
        break;
      case 'text': {
        const x = t as Tokens.Text;
        out += x.tokens ? inline(x.tokens, s) : safeLine(x.text.replace(/\n/g, ' '));
        break;
      }
      default:
        out += safeLine(('text' in t && typeof t.text === 'string' ? t.text : t.raw).replace(/\n/g, ' '));
    }
  }
  return out;
}

const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, '').length;

/** Word wrap of styled text: widths are counted without the colour codes. */
function wrapStyled(text: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  let line = first;
  let len = first.length;
  let empty = true;
  for (const word of text.split(/ +/).filter(Boolean)) {
    const w = visible(word);
    if (!empty && len + 1 + w > width) {
      out.push(line);
      line = rest + word;
      len = rest.length + w;
    } else {
      line += (empty ? '' : ' ') + word;
      len += (empty ? 0 : 1) + w;
    }
    empty = false;
  }
  out.push(line);
  return out;
}

function table(t: Tokens.Table, width: number, s: Style): string[] {
  const head = t.header.map((c) => inline(c.tokens, s));
  const rows = t.rows.map((r) => r.map((c) => inline(c.tokens, s)));
  const widths = head.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const total = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1) + 2;
  const pad = (v: string, w: number) => v + ' '.repeat(Math.max(0, w - visible(v)));
  if (total <= width) {
    const line = (cells: string[]) => `  ${cells.map((c, i) => pad(c, widths[i]!)).join(' │ ')}`.trimEnd();
    return [line(head.map((h) => s.bold(h))), `  ${widths.map((w) => '─'.repeat(w)).join('─┼─')}`, ...rows.map(line)];
  }
  // Too wide for the terminal: one block per row, "column: value".
  const out: string[] = [];
  for (const r of rows) {
    r.forEach((cell, i) => out.push(...wrapStyled(`${s.bold(`${head[i] ?? ''}:`)} ${cell}`, width, i === 0 ? '  - ' : '    ', '      ')));
  }
  return out;
}

function block(t: Token, width: number, s: Style, indent: string): string[] {
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      const text = inline(h.tokens, s);
      const lines = wrapStyled(s.bold(text), width, indent, indent);
      return h.depth <= 2 ? [...lines, indent + '─'.repeat(Math.min(width - indent.length, Math.max(...lines.map(visible)) - indent.length))] : lines;
    }
    case 'paragraph':
      return wrapStyled(inline((t as Tokens.Paragraph).tokens, s), width, indent, indent);
    case 'text':
      return wrapStyled(inline((t as Tokens.Text).tokens ?? [t], s), width, indent, indent);
    case 'code':
      return safeText((t as Tokens.Code).text)
        .split('\n')
        .map((l) => `${indent}    ${s.dim(l)}`.trimEnd());
    case 'table':
      return table(t as Tokens.Table, width, s);
    case 'list': {
      const l = t as Tokens.List;
      const out: string[] = [];
      l.items.forEach((item, i) => {
        const bullet = l.ordered ? `${Number(l.start || 1) + i}. ` : '- ';
        const first = `${indent}  ${bullet}`;
        const rest = ' '.repeat(first.length);
        item.tokens.forEach((child, k) => {
          const lines = child.type === 'text' || child.type === 'paragraph' ? wrapStyled(inline((child as Tokens.Text).tokens ?? [child], s), width, k === 0 ? first : rest, rest) : block(child, width, s, rest);
          out.push(...lines);
        });
      });
      return out;
    }
    case 'blockquote':
      return (t as Tokens.Blockquote).tokens.flatMap((c) => block(c, width, s, `${indent}│ `));
    case 'hr':
      return [indent + '─'.repeat(Math.max(1, width - indent.length))];
    case 'space':
      return [];
    default:
      return wrap(safeLine(t.raw), width, indent);
  }
}

/** The page laid out for a terminal of `width` columns, blocks separated by one blank line. */
export function renderMarkdown(markdown: string, opts: MarkdownOptions = {}): string {
  const width = opts.width ?? 80;
  const s = opts.style ?? plain;
  const blocks = new Lexer().lex(markdown).filter((t) => t.type !== 'space');
  const out: string[] = [];
  for (const t of blocks) {
    const lines = block(t, width, s, '');
    if (lines.length === 0) continue;
    if (out.length) out.push('');
    out.push(...lines);
  }
  return `${out.join('\n')}\n`;
}
