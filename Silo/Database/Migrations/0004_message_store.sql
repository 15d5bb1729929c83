-- 0004_message_store.sql
--
-- The messages table becomes the durable inbox and outbox of every conversation, the only record of each message.
--   inbound   received (accepted, waiting for a turn), answering (claimed by a turn, its reply being delivered),
--             answered, failed, ignored
--   outbound  pending (written by its turn, not yet sent), then the status Twilio reports, or failed
-- What a conversation keeps beside its messages (the OpenAI conversation, the history kept for Chat Completions)
-- is the conversations table. The conversation grain no longer has Orleans grain state nor a reminder of its own.
--
-- Open work that the previous release kept in conversation grain state is moved into these tables below, so that
-- upgrading loses no message. Stop every Silo of the previous release before this migration runs (Silo migrate or
-- the first Silo of this release) - a Silo of the previous release would keep writing the old state.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table messages add column if not exists media_urls text[] not null default '{}';

create table if not exists conversations (
    bot_number                text        not null,
    user_number               text        not null,
    assistant_conversation_id text,
    history                   jsonb       not null default '[]'::jsonb,
    updated_at                timestamptz not null default now(),
    primary key (bot_number, user_number)
);

-- Open work only - rows leave it when settled - so the conversation load and the recovery sweep stay small.
create index if not exists messages_unsettled on messages (bot_number, user_number, id)
    where status in ('received', 'answering', 'pending');

-- The previous release stored each conversation as Newtonsoft JSON with type names, lists wrapped in a values array.
create temporary table previous_conversation_state on commit drop as
select split_part(grainidextensionstring, '|', 1) as bot_number,
       convert_from(payloadbinary, 'UTF8')::jsonb as state
from orleans_grain_state
where graintypestring = 'conversation' and payloadbinary is not null;

-- Waiting messages. Their inbound rows were written after the acknowledgement, so some may be missing.
with waiting as (
    select s.bot_number, s.state ->> 'UserNumber' as user_number, m ->> 'Sid' as twilio_sid,
           coalesce(m ->> 'Body', m ->> 'Text', '') as body,
           case when m ->> 'Body' is null then '{}'::text[]
                else array(select substr(line, 9) from regexp_split_to_table(m ->> 'Text', E'\n') as line where line like '[media] %') end as media_urls,
           (m ->> 'ReceivedAt')::timestamptz as received_at
    from previous_conversation_state s,
         jsonb_array_elements(coalesce(s.state -> 'Inbox' -> '$values', '[]'::jsonb)) as m),
added as (
    insert into messages (bot_number, user_number, direction, body, media_urls, twilio_sid, status, created_at, updated_at)
    select bot_number, user_number, 'inbound', body, media_urls, twilio_sid, 'received', received_at, now() from waiting
    on conflict (bot_number, twilio_sid) where twilio_sid is not null do nothing
    returning 1)
update messages set media_urls = waiting.media_urls
from waiting
where messages.bot_number = waiting.bot_number and messages.twilio_sid = waiting.twilio_sid
  and messages.direction = 'inbound' and messages.status = 'received' and cardinality(waiting.media_urls) > 0;

-- Replies computed but not wholly delivered - the messages they answer not settled yet - go on from the first part
-- not recorded as sent. The turn tokens go with the first part, unless that one was sent already.
create temporary table previous_outbox on commit drop as
select s.bot_number, s.state ->> 'UserNumber' as user_number, o.outbox,
       array(select jsonb_array_elements_text(coalesce(o.outbox -> 'AnsweredSids' -> '$values', '[]'::jsonb))) as answered_sids,
       coalesce((o.outbox ->> 'SentParts')::int, 0) as sent_parts
from previous_conversation_state s,
     lateral (select s.state -> 'Outbox' as outbox) o
where jsonb_typeof(o.outbox) = 'object';

delete from previous_outbox p
where not exists (
    select 1 from messages m
    where m.bot_number = p.bot_number and m.twilio_sid = any(p.answered_sids) and m.direction = 'inbound'
      and m.status not in ('answered', 'failed'));

update messages m
set status = case when jsonb_array_length(coalesce(p.outbox -> 'Parts' -> '$values', '[]'::jsonb)) > p.sent_parts then 'answering' else 'failed' end,
    error_code = case when (p.outbox ->> 'Failed')::boolean then coalesce(p.outbox ->> 'ErrorCode', 'error') end,
    error_message = case when (p.outbox ->> 'Failed')::boolean then p.outbox ->> 'ErrorMessage' end,
    updated_at = now()
from previous_outbox p
where m.bot_number = p.bot_number and m.twilio_sid = any(p.answered_sids) and m.direction = 'inbound';

insert into messages (bot_number, user_number, direction, body, status, input_tokens, output_tokens, cached_tokens)
select p.bot_number, p.user_number, 'outbound', part.body, 'pending',
       case when part.n = p.sent_parts + 1 and p.sent_parts = 0 then coalesce((p.outbox ->> 'InputTokens')::int, 0) end,
       case when part.n = p.sent_parts + 1 and p.sent_parts = 0 then coalesce((p.outbox ->> 'OutputTokens')::int, 0) end,
       case when part.n = p.sent_parts + 1 and p.sent_parts = 0 then coalesce((p.outbox ->> 'CachedTokens')::int, 0) end
from previous_outbox p,
     jsonb_array_elements_text(coalesce(p.outbox -> 'Parts' -> '$values', '[]'::jsonb)) with ordinality as part(body, n)
where part.n > p.sent_parts
order by p.bot_number, p.user_number, part.n;

-- The OpenAI conversation and the kept history.
insert into conversations (bot_number, user_number, assistant_conversation_id, history)
select s.bot_number, s.state ->> 'UserNumber', s.state ->> 'AssistantConversationId',
       coalesce((select jsonb_agg(jsonb_build_object('role', t.turn ->> 'Role', 'text', t.turn ->> 'Text') order by t.n)
                 from jsonb_array_elements(coalesce(s.state -> 'History' -> '$values', '[]'::jsonb)) with ordinality as t(turn, n)), '[]'::jsonb)
from previous_conversation_state s
where s.state ->> 'AssistantConversationId' is not null
   or jsonb_array_length(coalesce(s.state -> 'History' -> '$values', '[]'::jsonb)) > 0
on conflict (bot_number, user_number) do nothing;

-- The old state and the per-conversation recovery reminders are not read any more.
delete from orleans_grain_state where graintypestring = 'conversation';
delete from orleans_reminder where remindername = 'pending-work' and grainid like 'conversation/%';
