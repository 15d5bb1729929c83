-- Twilio can report a reply's status before the silo has logged the reply (the callback races the log write).
-- Such statuses wait here and are applied when the reply is logged.
create table if not exists early_delivery_statuses (
    twilio_sid  text primary key,
    status      text not null,
    error_code  text,
    received_at timestamptz not null default now()
);
