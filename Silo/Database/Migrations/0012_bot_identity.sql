-- A bot's identity of its own. Until now a bot was its number everywhere, so a number given to another client
-- inherited the old client's transcripts, usage, OpenAI conversations and keys' scopes. From here on a bot has a
-- server-set id, and its data belongs to that id: the owner columns of messages, conversations and campaigns, and the
-- scopes of keys, hold bot ids instead of numbers.

alter table bots add column if not exists id text;
update bots set id = 'bot_' || substr(md5(phone_number || ':' || created_at::text || ':' || random()::text), 1, 24) where id is null;
alter table bots alter column id set not null;
create unique index if not exists bots_id on bots (id);

-- Every id ever given, with its number: a restore may re-attach the data of a deleted bot of the same number, never
-- take another bot's. The number a deleted bot's data was written to is read from here (the recovery sweep needs it).
create table if not exists bot_identities (
    id           text primary key,
    phone_number text not null,
    deleted_at   timestamptz
);
insert into bot_identities (id, phone_number) select id, phone_number from bots on conflict do nothing;

-- Data kept from bots deleted before ids existed belongs to a deleted id of its own, so that no later bot sees it.
create temporary table data_owner on commit drop as
select phone_number as number, id from bots
union all
select n.number, 'bot_' || substr(md5('horizonai-deleted:' || n.number), 1, 24)
from (select bot_number as number from messages
      union select bot_number from conversations
      union select bot_number from campaigns
      union select unnest(bots) from api_keys) n
where not exists (select 1 from bots b where b.phone_number = n.number);

insert into bot_identities (id, phone_number, deleted_at)
select o.id, o.number, now() from data_owner o where not exists (select 1 from bots b where b.phone_number = o.number)
on conflict do nothing;

update messages m set bot_number = o.id from data_owner o where o.number = m.bot_number;
alter table messages rename column bot_number to bot_id;

update conversations c set bot_number = o.id from data_owner o where o.number = c.bot_number;
alter table conversations rename column bot_number to bot_id;

update campaigns c set bot_number = o.id from data_owner o where o.number = c.bot_number;
alter table campaigns rename column bot_number to bot_id;

-- A key scoped to a bot deleted before ids existed keeps no scope over it.
update api_keys k set bots = array(
    select b.id from unnest(k.bots) as scoped(number) join bots b on b.phone_number = scoped.number);
