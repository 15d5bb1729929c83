-- A reply part's send is claimed in its row before Twilio is called: sending_since is set by the one write that lets
-- a conversation send the part (the turn that stores it, the record of the part before it, or a claim of its own).
-- A part found pending with it set may have reached Twilio without being recorded (a crash between the send and its
-- record), so Twilio's list is looked up before it is sent again; a part without it was never tried.
alter table messages add column if not exists sending_since timestamptz;

-- Every save of a bot's configuration numbers it: the configuration travels with the messages its bot grain
-- forwards, and a conversation keeps the newest it has seen.
alter table bots add column if not exists version bigint not null default 1;

-- The order of Twilio's outbound statuses (a status only ever replaces an earlier one) and the reasons of the error
-- codes an operator meets most, as functions, so that every statement that compares statuses is one fixed text.
-- They mirror DeliveryStatuses in the code; a test checks that both say the same.
create or replace function delivery_status_rank(status text) returns integer
language sql immutable parallel safe as $$
    select case status
        when 'accepted' then 0 when 'scheduled' then 0 when 'queued' then 1 when 'sending' then 2 when 'sent' then 3
        when 'undelivered' then 4 when 'failed' then 4 when 'canceled' then 4 when 'delivered' then 5 when 'read' then 6
        else 0 end
$$;

create or replace function delivery_error_reason(code text) returns text
language sql immutable parallel safe as $$
    select case
        when code is null or code = '' then null
        when code = '63016' then 'outside the 24-hour window: WhatsApp allows free-form replies only within 24 hours of the user''s last message'
        when code = '21211' then 'the user''s number is not a valid phone number'
        when code = '21610' then 'the user has opted out of messages from this number'
        when code = '63003' then 'the user''s number is not on WhatsApp or cannot be reached'
        when code = '63018' then 'rate limit exceeded for this WhatsApp sender'
        else 'Twilio error ' || code end
$$;
