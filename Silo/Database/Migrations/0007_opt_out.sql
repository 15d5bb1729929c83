-- 0007_opt_out.sql
--
-- An end user may stop the messages of a bot (STOP, BAJA…) and start them again (START, ALTA…). When they stopped
-- is kept with the conversation and survives an erasure of its transcript. Bots may choose their keywords and the
-- confirmations; null means the platform defaults.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table conversations add column if not exists opted_out_at timestamptz;

alter table bots add column if not exists opt_out_keywords text[];
alter table bots add column if not exists opt_in_keywords text[];
alter table bots add column if not exists opt_out_message text;
alter table bots add column if not exists opt_in_message text;
