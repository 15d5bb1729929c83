-- 0009_access.sql
--
-- Per-client access. api_keys holds keys scoped to one or more bots, each with a role (read, operate, manage). Only a
-- hash of each secret is kept (HKDF-SHA256 over the random secret, salted with the key id), with the previous hash
-- while a rotation overlaps. audit_log records every admin write and every transcript read, who made it (a key id,
-- never the key) and from where, kept for AUDIT_RETENTION_DAYS.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

create table if not exists api_keys (
    id text primary key,
    name text not null,
    role text not null check (role in ('read', 'operate', 'manage')),
    bots text[] not null check (cardinality(bots) > 0),
    secret_hash bytea not null,
    previous_hash bytea,
    previous_expires_at timestamptz,
    created_at timestamptz not null default now(),
    rotated_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz
);

create table if not exists audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    key_id text not null,
    action text not null,
    bot_number text,
    user_number text,
    status integer not null,
    client text
);

create index if not exists audit_log_at on audit_log (at);
create index if not exists audit_log_bot_at on audit_log (bot_number, at desc);
