-- 0008_handoff.sql
--
-- A person may take a conversation over from the bot (human mode) and give it back. While a conversation is in
-- human mode the messages of its user are kept with status held - stored and shown, not answered by the assistant.
-- The conversation remembers since when, why (trigger admin, keyword or assistant, and a reason), who took it, the
-- last time an operator wrote (auto-resume counts its idle time from there), whether the business webhook still
-- has to hear of the handoff, and the call of the request_human tool that the assistant is still owed an answer to.
-- Bots choose their handoff keywords, message, webhook and auto-resume time, and a reset keyword.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table conversations add column if not exists mode text not null default 'bot';
alter table conversations add column if not exists human_since timestamptz;
alter table conversations add column if not exists handoff_trigger text;
alter table conversations add column if not exists handoff_reason text;
alter table conversations add column if not exists handoff_by text;
alter table conversations add column if not exists operator_active_at timestamptz;
alter table conversations add column if not exists handoff_notice_pending boolean not null default false;
alter table conversations add column if not exists pending_call_id text;

-- Human-mode conversations and unsent notices are few - the recovery sweep reads them all on every tick.
create index if not exists conversations_handoff on conversations (bot_number, user_number)
    where mode = 'human' or handoff_notice_pending;

alter table bots add column if not exists handoff_keywords text[];
alter table bots add column if not exists handoff_tool boolean not null default false;
alter table bots add column if not exists handoff_message text;
alter table bots add column if not exists handoff_webhook_url text;
alter table bots add column if not exists handoff_webhook_secret text;
alter table bots add column if not exists auto_resume_minutes integer;
alter table bots add column if not exists reset_keyword text;
alter table bots add column if not exists reset_message text;
