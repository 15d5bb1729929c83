-- Retention per bot: settled messages older than retention_days are erased daily (null keeps everything). What the
-- usage report and the conversation list show of them is added to these aggregates in the same statement that
-- deletes them, so their figures do not change when the rows go.
alter table bots add column if not exists retention_days integer check (retention_days is null or retention_days > 0);

create table if not exists usage_erased (
    bot_id text not null,
    day date not null,
    inbound_messages integer not null default 0,
    outbound_messages integer not null default 0,
    input_tokens bigint not null default 0,
    output_tokens bigint not null default 0,
    cached_tokens bigint not null default 0,
    audio_items integer not null default 0,
    images integer not null default 0,
    documents integer not null default 0,
    transcribed_seconds double precision not null default 0,
    transcription_tokens bigint not null default 0,
    minute_billed_seconds double precision not null default 0,
    primary key (bot_id, day)
);

create table if not exists conversations_erased (
    bot_id text not null,
    user_number text not null,
    first_at timestamptz not null,
    last_at timestamptz not null,
    messages integer not null,
    primary key (bot_id, user_number)
);

-- (The daily erasure finds a bot's oldest rows by messages_bot_time, on (bot_id, created_at).)
