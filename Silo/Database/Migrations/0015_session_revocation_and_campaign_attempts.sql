-- 0015_session_revocation_and_campaign_attempts.sql
--
-- Console sessions end at sign-out, on every Gateway. A session cookie names a random session id and its expiry,
-- signed by the Gateway. Signing out lists that id here until the cookie would have expired anyway, and every request
-- that presents a listed id is refused. A row past its expiry says nothing more (the cookie itself is refused by then),
-- so later sign-outs delete such rows.
--
-- Campaign recipients that cannot be queued. attempts counts the tries that failed, and after CAMPAIGN_MAX_ATTEMPTS of
-- them the recipient is failed, with the last fault as its reason, so that its campaign can finish.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

create table if not exists console_session_revocations (
    session_id text primary key,
    expires_at timestamptz not null
);

create index if not exists console_session_revocations_expires on console_session_revocations (expires_at);

alter table campaign_recipients add column if not exists attempts integer not null default 0;
alter table campaign_recipients drop constraint if exists campaign_recipients_status_check;
alter table campaign_recipients add constraint campaign_recipients_status_check
    check (status in ('pending', 'queued', 'skipped', 'canceled', 'failed'));
