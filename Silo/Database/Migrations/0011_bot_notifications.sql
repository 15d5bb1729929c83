-- Every change to a bot is announced on the channel horizonai_bots with its number, so that each Gateway's roster of
-- bots (which decides 404 and "disabled" without asking a silo) follows the table within moments. A trigger, so that
-- a write straight into the table (a restore by hand) is announced too. NOTIFY is delivered at commit.
create or replace function horizonai_notify_bot_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('horizonai_bots', old.phone_number);
    else
        perform pg_notify('horizonai_bots', new.phone_number);
    end if;
    return null;
end
$$;

drop trigger if exists bots_notify on bots;
create trigger bots_notify after insert or update or delete on bots
    for each row execute function horizonai_notify_bot_change();
