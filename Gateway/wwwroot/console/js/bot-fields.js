// The bot's fields, each described once: the bot form (bot-form.js) is rendered, filled and read from this list alone.
// The names are those of the server's bot JSON (Gateway/Bots/BotDocument.cs, SPEC §5), which also validates every
// value; the hints here only help the person typing. A new field of the bot JSON is one entry in `botFields`.
//
// An entry:
//   json         the field's name in the bot JSON
//   id           the input's element id (its error is `${id}-error`, its help `${id}-help`)
//   label        the label's text; `code` in backquotes is shown as code
//   kind         one of `kinds` below: the input it gets and how its value maps to and from the JSON value
//   section      the part of the form it is shown in, in order of first appearance (none: the first, untitled part)
//   wide         spans the form's width instead of one of two columns
//   help         a line under the input
//   edit         the least role that may change it: 'manage' (who may PUT a bot) unless said otherwise; the server
//                refuses the others' changes, so they are shown disabled and sent back as they were
//   fixed        set when the bot is created, read-only afterwards
//   default      a flag's value for a new bot
//   required, maxLength, min, max, step, placeholder, attributes: hints for the input (the form is novalidate: the
//                server's answer is what counts, and it goes beside the field)

/** A value that cannot be sent as typed, with what to write instead. */
export class Invalid {
  constructor(message) {
    this.message = message;
  }
}

/** A copy of a bot as the API accepts it back: what only the server sets is left out (id stays: it is the bot's). */
export const serverSet = ['created_at', 'updated_at', 'warnings'];

export function editableCopy(bot) {
  const copy = { ...bot };
  for (const name of serverSet) delete copy[name];
  return copy;
}

const words = value => value.split(',').map(w => w.trim()).filter(Boolean);

/**
 * How each kind of field is shown (control, attributes) and how it maps to and from the JSON: `toInput` gives the
 * input's value (a checkbox's checked state) from the JSON value, `fromInput` the JSON value from the input, undefined
 * for "leave it out" (the platform's default), or an Invalid.
 */
export const kinds = {
  /** One line; blank is left out. */
  text: {
    control: 'input',
    toInput: value => value ?? '',
    fromInput: input => input.value.trim() || undefined,
  },
  /** Several lines sent as written (leading spaces and line breaks kept); blank is left out. */
  message: {
    control: 'textarea',
    toInput: value => value ?? '',
    fromInput: input => (input.value.trim() ? input.value : undefined),
  },
  /** A list of words, typed comma-separated; none is left out. */
  words: {
    control: 'input',
    toInput: value => (value || []).join(', '),
    fromInput: input => {
      const list = words(input.value);
      return list.length ? list : undefined;
    },
  },
  /** A whole number; blank (and 0, for fields whose default is 0) is left out. */
  integer: {
    control: 'input',
    attributes: { type: 'number', inputmode: 'numeric' },
    toInput: value => (value ? String(value) : ''),
    fromInput: (input, field) => {
      if (input.validity.badInput) return new Invalid(`${field.json} must be a whole number`);
      return input.value === '' ? undefined : Number(input.value);
    },
  },
  /** A checkbox. */
  flag: {
    control: 'checkbox',
    toInput: (value, field) => value ?? field.default ?? false,
    fromInput: input => input.checked,
  },
  /** A string map, typed one key=value per line. */
  pairs: {
    control: 'textarea',
    attributes: { spellcheck: 'false' },
    toInput: value => Object.entries(value || {}).map(([k, v]) => `${k}=${v}`).join('\n'),
    fromInput: input => {
      const map = {};
      const bad = [];
      for (const line of input.value.split('\n')) {
        if (!line.trim()) continue;
        const at = line.indexOf('=');
        if (at <= 0) bad.push(line.trim());
        else map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      if (bad.length) return new Invalid(`Write one key=value per line (not: ${bad.join(', ')})`);
      return Object.keys(map).length ? map : undefined;
    },
  },
  /** A JSON array, typed as JSON; an empty one is left out. */
  list: {
    control: 'textarea',
    attributes: { spellcheck: 'false' },
    toInput: value => ((value || []).length ? JSON.stringify(value, null, 2) : ''),
    fromInput: (input, field) => {
      if (!input.value.trim()) return undefined;
      let list = null;
      try { list = JSON.parse(input.value); } catch { /* said below */ }
      if (!Array.isArray(list)) return new Invalid(field.invalid);
      return list.length ? list : undefined;
    },
  },
  /** Set by the server: shown, never edited, sent back as it came. */
  server: {
    control: 'input',
    attributes: { readonly: true, spellcheck: 'false' },
    toInput: value => value ?? '',
    fromInput: undefined,
  },
};

const oneMessage = 1600; // one WhatsApp message

export const botFields = [
  { json: 'name', id: 'bot-name', label: 'Name', kind: 'text', required: true, maxLength: 200, placeholder: 'e.g. Restaurante La Cocina' },
  { json: 'twilio_phone_number', id: 'bot-number', label: 'WhatsApp number (E.164)', kind: 'text', fixed: true, required: true, placeholder: 'e.g. +15551111111', attributes: { inputmode: 'tel' } },
  { json: 'model', id: 'bot-model', label: 'Model', kind: 'text', maxLength: 100, placeholder: 'default (OPENAI_MODEL)', attributes: { spellcheck: 'false' } },
  { json: 'assistant_id', id: 'bot-assistant', label: 'Prompt id (pmpt_…)', kind: 'text', maxLength: 200, placeholder: 'optional', attributes: { spellcheck: 'false' } },
  { json: 'instructions', id: 'bot-instructions', label: 'Instructions', kind: 'message', wide: true, rows: 6, maxLength: 256000, placeholder: 'e.g. Eres asistente del restaurante…' },
  { json: 'fallback_message', id: 'bot-fallback', label: 'Fallback message (sent when a turn fails)', kind: 'message', wide: true, maxLength: oneMessage, placeholder: 'e.g. Lo siento, tuve un problema. Intenta de nuevo en unos minutos.' },
  { json: 'unreadable_media_message', id: 'bot-unreadable', label: 'Answer to a file the bot cannot read (empty: the platform\'s default)', kind: 'message', wide: true, maxLength: oneMessage, placeholder: 'e.g. No puedo abrir ese archivo. ¿Me lo describes o me envías una foto?' },
  { json: 'transcription_model', id: 'bot-transcription', label: 'Voice note transcription model (empty: the platform\'s default)', kind: 'text', maxLength: 100, placeholder: 'e.g. gpt-4o-mini-transcribe', attributes: { spellcheck: 'false' } },
  { json: 'debounce_ms', id: 'bot-debounce', label: 'Debounce (ms)', kind: 'integer', min: 0, max: 60000, step: 50, placeholder: '0', help: 'How long to wait for more messages before answering them together.' },
  { json: 'enabled', id: 'bot-enabled', label: 'Enabled (answers messages)', kind: 'flag', default: true, edit: 'admin' },
  { json: 'typing_indicator', id: 'bot-typing', label: 'Typing indicator', kind: 'flag', default: true },
  { json: 'id', id: 'bot-id', label: 'Id (set by the server)', kind: 'server', help: 'The bot\'s own identity: its conversations, usage and keys belong to it.' },

  // Opting out and in
  { json: 'opt_out_keywords', id: 'bot-stop-words', label: 'Opt-out keywords, comma-separated (empty: STOP, STOPALL, UNSUBSCRIBE, CANCEL, BAJA)', kind: 'words', section: 'Opting out and in', placeholder: 'e.g. STOP, BAJA' },
  { json: 'opt_in_keywords', id: 'bot-start-words', label: 'Opt-in keywords, comma-separated (empty: START, UNSTOP, ALTA)', kind: 'words', section: 'Opting out and in', placeholder: 'e.g. START, ALTA' },
  { json: 'opt_out_message', id: 'bot-stop-message', label: 'Opt-out confirmation (empty: the platform\'s)', kind: 'message', section: 'Opting out and in', maxLength: oneMessage },
  { json: 'opt_in_message', id: 'bot-start-message', label: 'Opt-in confirmation (empty: the platform\'s)', kind: 'message', section: 'Opting out and in', maxLength: oneMessage },

  // A person takes over
  { json: 'handoff_keywords', id: 'bot-handoff-words', label: 'Handoff keywords, comma-separated (empty: none)', kind: 'words', section: 'Handing over to a person', placeholder: 'e.g. humano, agente', help: 'A user who writes one of them is handed to a person; the bot stops answering them.' },
  { json: 'handoff_tool', id: 'bot-handoff-tool', label: 'The assistant may hand a conversation to a person itself', kind: 'flag', section: 'Handing over to a person', default: false },
  { json: 'handoff_message', id: 'bot-handoff-message', label: 'Handoff notice to the user (empty: the platform\'s)', kind: 'message', section: 'Handing over to a person', wide: true, maxLength: oneMessage, placeholder: 'e.g. Te comunico con una persona del equipo.' },
  { json: 'handoff_webhook_url', id: 'bot-handoff-url', label: 'Handoff webhook URL (empty: none)', kind: 'text', section: 'Handing over to a person', maxLength: 2048, placeholder: 'https://…', attributes: { type: 'url', inputmode: 'url', spellcheck: 'false' }, help: 'Each handoff is POSTed here, signed with the secret (X-HorizonAI-Signature).' },
  { json: 'handoff_webhook_secret', id: 'bot-handoff-secret', label: 'Handoff webhook secret (16 to 200 characters)', kind: 'text', section: 'Handing over to a person', maxLength: 200, attributes: { type: 'password', autocomplete: 'new-password', spellcheck: 'false' } },
  { json: 'auto_resume_minutes', id: 'bot-auto-resume', label: 'Back to the bot after minutes without an operator\'s message (empty: never)', kind: 'integer', section: 'Handing over to a person', min: 1, max: 10080 },

  // Starting over
  { json: 'reset_keyword', id: 'bot-reset-word', label: 'Reset keyword (empty: none)', kind: 'text', section: 'Starting over', placeholder: 'e.g. /reset', help: 'A user who writes it starts a new conversation with the assistant.' },
  { json: 'reset_message', id: 'bot-reset-message', label: 'Reset confirmation (empty: the platform\'s)', kind: 'message', section: 'Starting over', maxLength: oneMessage },

  // Messages the business starts
  {
    json: 'templates', id: 'bot-templates', label: 'Templates (approved WhatsApp templates, sent outside the 24-hour window; JSON)', kind: 'list',
    section: 'Messages the business starts', wide: true, rows: 4, placeholder: '[{"name": "booking_reminder", "content_sid": "HX…", "language": "es", "variables": ["name", "time"]}]',
    invalid: 'Write a JSON array of templates, e.g. [{"name": "booking_reminder", "content_sid": "HX…", "language": "es", "variables": ["name"]}]',
  },
  { json: 'reengagement_template', id: 'bot-reengagement', label: 'Re-engagement template (empty: none)', kind: 'text', section: 'Messages the business starts', placeholder: 'e.g. retomar_conversacion', attributes: { spellcheck: 'false' }, help: 'Sent in place of an operator\'s text once the 24-hour window has closed; one of the templates above, without variables.' },
  { json: 'send_rate_per_second', id: 'bot-send-rate', label: 'Campaign messages per second (empty: the platform\'s)', kind: 'integer', section: 'Messages the business starts', min: 1, max: 1000 },

  // The business's own systems (SPEC §10): URLs must be https to public hosts, or hosts of TOOL_PRIVATE_HOSTS
  {
    json: 'tools', id: 'bot-tools', label: 'Tools (functions of the business\'s system the assistant may call; JSON)', kind: 'list',
    section: 'Tools', wide: true, rows: 8,
    placeholder: '[{"name": "book_table", "description": "Books a table.", "parameters": {"type": "object", "properties": {"people": {"type": "integer"}}}, "url": "https://api.example.com/book", "timeout_ms": 8000}]',
    invalid: 'Write a JSON array of tools, e.g. [{"name": "book_table", "description": "Books a table.", "parameters": {"type": "object", "properties": {}}, "url": "https://api.example.com/book"}]',
    help: 'Each call is POSTed to the tool\'s url, signed with the tools secret (X-HorizonAI-Signature). URLs must be https to a public host, or one of the agency\'s own (TOOL_PRIVATE_HOSTS).',
  },
  { json: 'tools_secret', id: 'bot-tools-secret', label: 'Tools secret (32 to 200 characters; required with tools)', kind: 'text', section: 'Tools', maxLength: 200, attributes: { type: 'password', autocomplete: 'new-password', spellcheck: 'false' } },
  {
    json: 'mcp_servers', id: 'bot-mcp-servers', label: 'MCP servers (Streamable HTTP; JSON)', kind: 'list',
    section: 'Tools', wide: true, rows: 6,
    placeholder: '[{"label": "inventory", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer …"}, "allowed_tools": ["stock_lookup"]}]',
    invalid: 'Write a JSON array of MCP servers, e.g. [{"label": "inventory", "url": "https://mcp.example.com/mcp", "headers": {}, "allowed_tools": ["stock_lookup"]}]',
    help: 'Their tools are offered as label__tool; allowed_tools (when given) limits which. Header values are secrets.',
  },

  // Knowledge (SPEC §9): the documents themselves are in the Knowledge view
  { json: 'knowledge_language', id: 'bot-knowledge-language', label: 'Language of its documents (a PostgreSQL text search configuration; empty: simple)', kind: 'text', section: 'Knowledge', maxLength: 20, placeholder: 'e.g. spanish, english, portuguese', attributes: { spellcheck: 'false' }, help: 'Words of the documents are matched in this language (stems, stop words); simple matches them as written.' },
  { json: 'vector_store_ids', id: 'bot-vector-stores', label: 'Other OpenAI vector stores it searches, comma-separated (empty: none)', kind: 'words', section: 'Knowledge', edit: 'admin', placeholder: 'e.g. vs_abc123', attributes: { spellcheck: 'false' }, help: 'E.g. those of a migrated Assistant. Never a store another bot uses.' },

  // Keeping messages
  { json: 'retention_days', id: 'bot-retention', label: 'Erase answered messages after days (empty: keep every message)', kind: 'integer', section: 'Keeping messages', min: 1, max: 36500, help: 'Checked daily. Usage figures and the conversation list keep their counts; Twilio keeps its own logs.' },

  // The agency's own
  { json: 'metadata', id: 'bot-metadata', label: 'Metadata (one `key=value` per line)', kind: 'pairs', section: 'The agency\'s notes', wide: true, rows: 3, edit: 'admin', placeholder: 'e.g. cliente=Cliente A' },
];
