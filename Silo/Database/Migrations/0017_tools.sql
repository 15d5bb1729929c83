-- 0017_tools.sql
--
-- Tools. A bot names functions of the business's own system (tools), the key that signs their calls (tools_secret)
-- and MCP servers (mcp_servers) whose tools its assistant may call.
--
-- Each call the model makes is written to tool_calls before its first POST, with the idempotency key the business
-- sees on every attempt of it. A turn run again (a retry, or after a crash) finds its calls here by turn_key, the id
-- of the oldest message the turn answers, and sends those recorded calls again with the same keys instead of new
-- ones, and through_message_id says which messages the model had read when it made them (later ones are given to
-- it after the calls' outputs). The transcript lists each call and the usage report counts them per day.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table bots add column if not exists tools jsonb not null default '[]'::jsonb;
alter table bots add column if not exists tools_secret text;
alter table bots add column if not exists mcp_servers jsonb not null default '[]'::jsonb;

create table if not exists tool_calls (
    id bigint generated always as identity primary key,
    bot_id text not null,
    user_number text not null,
    turn_key bigint not null,
    through_message_id bigint not null,
    round integer not null,
    position integer not null,
    call_id text not null,
    tool text not null,
    arguments text not null,
    idempotency_key text not null,
    status text not null default 'running' check (status in ('running', 'ok', 'error', 'timeout')),
    output text,
    attempts integer not null default 0,
    duration_ms integer,
    created_at timestamptz not null default now(),
    finished_at timestamptz,
    unique (bot_id, user_number, turn_key, call_id)
);

create index if not exists tool_calls_conversation on tool_calls (bot_id, user_number, created_at);
create index if not exists tool_calls_bot_day on tool_calls (bot_id, created_at);

-- What retention erased of the calls, per day, so the usage report keeps counting them.
alter table usage_erased add column if not exists tool_calls integer not null default 0;

-- The WhatsApp profile name a user's message came with, which a tool call passes to the business (profile_name).
alter table messages add column if not exists profile_name text;
