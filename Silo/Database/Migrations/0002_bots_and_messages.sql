-- The project's own tables: bot configurations and the message log.

create table if not exists bots (
    phone_number     text primary key,
    name             text not null,
    assistant_id     text,
    instructions     text,
    model            text,
    enabled          boolean not null default true,
    debounce_ms      integer not null default 0,
    fallback_message text,
    typing_indicator boolean not null default true,
    metadata         jsonb not null default '{}'::jsonb,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

-- Every inbound and outbound WhatsApp message: the base of transcripts, usage and status callbacks.
create table if not exists messages (
    id            bigint generated always as identity primary key,
    bot_number    text not null,
    user_number   text not null,
    direction     text not null check (direction in ('inbound', 'outbound')),
    body          text not null,
    twilio_sid    text,
    status        text not null,
    error_code    text,
    error_message text,
    input_tokens  integer,
    output_tokens integer,
    cached_tokens integer,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

-- One row per Twilio message per bot: a retried webhook can never log twice.
create unique index if not exists messages_bot_sid on messages (bot_number, twilio_sid) where twilio_sid is not null;
create index if not exists messages_sid on messages (twilio_sid) where twilio_sid is not null;
create index if not exists messages_conversation on messages (bot_number, user_number, id);
create index if not exists messages_bot_time on messages (bot_number, created_at);
