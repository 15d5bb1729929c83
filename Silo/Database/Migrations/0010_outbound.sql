-- 0010_outbound.sql
--
-- Messages the business starts. A bot has approved templates (Twilio Content API, a ContentSid with variables), sent
-- outside the 24-hour window, and an optional re-engagement template for operators writing after it closed. A
-- message row may carry a template (content_sid, content_variables as JSON) instead of free text. A campaign sends one
-- template to a list of users, paced per bot number, each recipient with its own state.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table bots add column if not exists templates jsonb not null default '[]'::jsonb;
alter table bots add column if not exists reengagement_template text;
alter table bots add column if not exists send_rate_per_second integer;

alter table messages add column if not exists content_sid text;
alter table messages add column if not exists content_variables text;

create table if not exists campaigns (
    id text primary key,
    bot_number text not null,
    name text not null,
    template text not null,
    status text not null check (status in ('running', 'canceled', 'done')),
    total integer not null,
    created_by text,
    created_at timestamptz not null default now(),
    finished_at timestamptz
);

create index if not exists campaigns_running on campaigns (bot_number) where status = 'running';

create table if not exists campaign_recipients (
    campaign_id text not null references campaigns (id) on delete cascade,
    position integer not null,
    user_number text not null,
    variables text,
    status text not null check (status in ('pending', 'queued', 'skipped', 'canceled')),
    message_id bigint,
    reason text,
    updated_at timestamptz not null default now(),
    primary key (campaign_id, position)
);

create index if not exists campaign_recipients_pending on campaign_recipients (campaign_id, position) where status = 'pending';
