-- 0006_operator_messages.sql
--
-- Messages a person sends into a conversation as the bot (an operator, through the admin API or the console) are
-- outbound rows like the replies of the bot, delivered from the same outbox, and name who sent them. Null for the
-- replies of the bot itself.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table messages add column if not exists sent_by text;
